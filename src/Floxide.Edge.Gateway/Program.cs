using Floxide.Edge.Gateway.Cli;

return await GatewayCommandLine.InvokeAsync(args).ConfigureAwait(false);
