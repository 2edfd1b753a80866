namespace Floxide.Edge.Readings;

/// <summary>How far a reading can be trusted, as judged by validation.</summary>
public enum ReadingQuality
{
    /// <summary>Plausible in every respect checked.</summary>
    Good,

    /// <summary>Within physical limits but doubtful, e.g. a value stuck for many reads; see the reason.</summary>
    Suspect,

    /// <summary>Impossible or unusable: out of the chip's physical range, not a number, timestamp in the future.</summary>
    Invalid,
}
