using ChatLoad.Server.Hosting;

// The chat server: see Hosting/ServerProgram.cs for the flow and Hosting/CommandLineSwitches.cs for the switches.
return await ServerProgram.RunAsync(args);
