namespace Floxide.Events;

/// <summary>What a <see cref="ChannelEventSource{TEvent}"/> does when an event arrives and it is full.</summary>
public enum ChannelFullMode
{
    /// <summary>Writers wait for room (<c>WriteAsync</c>) or are refused (<c>TryWrite</c> returns false). Nothing is lost.</summary>
    Wait,

    /// <summary>The oldest queued event is dropped to make room, and counted. Writers never wait.</summary>
    DropOldest,
}
