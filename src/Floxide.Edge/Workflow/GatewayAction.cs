namespace Floxide.Edge.Workflow;

/// <summary>The actions that route events through the gateway's workflow; see docs/alerts.md for the graph.</summary>
public enum GatewayAction
{
    /// <summary>The event source hands an event on.</summary>
    Next,

    /// <summary>The event is a sensor reading.</summary>
    Reading,

    /// <summary>The event is a failed read.</summary>
    Fault,

    /// <summary>The event is a sensor going offline or coming back.</summary>
    Status,

    /// <summary>The event is a timer tick.</summary>
    Tick,

    /// <summary>The event is a sensor taken out of the configuration, whose state is to be dropped.</summary>
    Removed,

    /// <summary>The event is of a type the gateway does not know; it has no route and is dead-lettered.</summary>
    Unknown,

    /// <summary>The reading passed validation.</summary>
    Valid,

    /// <summary>The reading is invalid (validation) or a spike (classification) and is dropped.</summary>
    Invalid,

    /// <summary>The reading is calibrated.</summary>
    Calibrated,

    /// <summary>Every quantity is normal.</summary>
    Normal,

    /// <summary>The most severe quantity is in warning.</summary>
    Warning,

    /// <summary>The most severe quantity is critical.</summary>
    Critical,

    /// <summary>Alerts are up to date with the reading.</summary>
    Checked,

    /// <summary>The reading is to be published.</summary>
    Publish,

    /// <summary>The reading is not published (report-by-exception); its receipt is completed.</summary>
    Skip,

    /// <summary>Done with the event: back to the source for the next one.</summary>
    Done,
}
