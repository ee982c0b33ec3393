using ChatLoad.Server.Hosting;

// The chat server: see Hosting/ServerProgram.cs for the flow and Hosting/ServerCommandLine.cs for the switches (derived from ServerOptions).
return await ServerProgram.RunAsync(args);
