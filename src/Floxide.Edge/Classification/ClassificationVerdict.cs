namespace Floxide.Edge.Classification;

/// <summary>The classifier's verdict on a reading, which routes it in the workflow.</summary>
public enum ClassificationVerdict
{
    /// <summary>Every quantity is in its normal zone.</summary>
    Normal,

    /// <summary>The most severe quantity is in a warning zone.</summary>
    Warning,

    /// <summary>The most severe quantity is in a critical zone.</summary>
    Critical,

    /// <summary>A value changed faster than its rate-of-change limit: the reading is a spike and is dropped.</summary>
    Invalid,
}
