using Floxide.Edge.Classification;

namespace Floxide.Edge.Workflow;

/// <summary>The state the gateway workflow's nodes share during a run: the verdict on the reading in flight.</summary>
public sealed class GatewayContext
{
    /// <summary>The classifier's verdict on the current reading, read by the alert and publish stages.</summary>
    public ReadingClassification Classification { get; } = new();
}
