using System.Collections;
using Floxide.Edge.Gateway.Hosting;

namespace Floxide.Edge.Gateway.Tests.Hosting;

public sealed class GatewayStateDirectoryTests
{
    [Fact]
    public void Resolve_Configured_WinsOverTheEnvironment()
    {
        var environment = new Hashtable { ["STATE_DIRECTORY"] = "/var/lib/floxide-edge", ["HOME"] = "/home/pi" };

        Assert.Equal("/srv/floxide", GatewayStateDirectory.Resolve("/srv/floxide", environment));
    }

    [Fact]
    public void Resolve_UnderSystemd_UsesTheFirstStateDirectory()
    {
        var environment = new Hashtable { ["STATE_DIRECTORY"] = "/var/lib/floxide-edge:/var/lib/other", ["HOME"] = "/home/pi" };

        Assert.Equal("/var/lib/floxide-edge", GatewayStateDirectory.Resolve(null, environment));
    }

    [Fact]
    public void Resolve_ForAUser_UsesXdgStateHomeThenHome()
    {
        Assert.Equal("/tmp/xdg/floxide-edge", GatewayStateDirectory.Resolve(null, new Hashtable { ["XDG_STATE_HOME"] = "/tmp/xdg", ["HOME"] = "/home/pi" }));
        Assert.Equal("/home/pi/.local/state/floxide-edge", GatewayStateDirectory.Resolve(" ", new Hashtable { ["XDG_STATE_HOME"] = "relative", ["HOME"] = "/home/pi" }));
    }

    [Fact]
    public void File_RelativeAndAbsolutePaths_RelativeGoUnderTheDirectory()
    {
        Assert.Equal("/var/lib/floxide-edge/outbox.db", GatewayStateDirectory.File("/var/lib/floxide-edge", "outbox.db"));
        Assert.Equal("/data/alerts.json", GatewayStateDirectory.File("/var/lib/floxide-edge", "/data/alerts.json"));
    }
}
