using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PSPeer.Host.Hosting;
using PSPeer.Host.Session;

namespace PSPeer.Host
{
    /// <summary>
    /// `dotnet run --project src/PSPeer.Host -- script.ps1 [args...]` or `-- -Command "text"`: runs PowerShell with
    /// the PSPeer module imported, where pwsh is not installed. Exit codes: 0 success, 1 terminating error (or what
    /// the script passed to `exit`), 2 usage errors, 130 stopped by Ctrl+C.
    /// </summary>
    public static class Program
    {
        const int UsageExitCode = 2;

        const string Usage =
@"PSPeer script host: runs PowerShell scripts with the PSPeer module imported.

Usage:
  dotnet run --project src/PSPeer.Host -- <script.ps1> [arguments...]
  dotnet run --project src/PSPeer.Host -- -Command ""<PowerShell text>""

The module is taken from out/PSPeer beside PSPeer.sln (found from this program's folder or the
current directory), or from the path in the PSPEER_MODULE environment variable.
Exit codes: 0 success, 1 terminating error, N from the script's `exit N`, 2 usage, 130 Ctrl+C.";

        public static int Main(string[] args)
        {
            if (args.Length == 0)
            {
                Console.Error.WriteLine(Usage);
                return UsageExitCode;
            }
            if (args[0] is "-h" or "--help" or "-?" or "/?")
            {
                Console.WriteLine(Usage);
                return 0;
            }

            string scriptText;
            if (args[0].Equals("-Command", StringComparison.OrdinalIgnoreCase) || args[0].Equals("-c", StringComparison.OrdinalIgnoreCase))
            {
                if (args.Length < 2)
                {
                    Console.Error.WriteLine("error: -Command needs the PowerShell text to run.");
                    return UsageExitCode;
                }
                scriptText = string.Join(" ", args.Skip(1));
            }
            else
            {
                string scriptPath = Path.GetFullPath(args[0]);
                if (!File.Exists(scriptPath))
                {
                    Console.Error.WriteLine($"error: the script file '{args[0]}' was not found (looked for {scriptPath}).");
                    return UsageExitCode;
                }
                scriptText = ScriptInvocation.Build(scriptPath, args.Skip(1));
            }

            string manifest = ModuleLocator.FindManifest(out var searched);
            if (manifest == null)
            {
                Console.Error.WriteLine("error: the PSPeer module has not been built. Looked for: " + string.Join(", ", searched) +
                                        ". Build it with `dotnet build src/PSPeer`, or set " + ModuleLocator.OverrideVariable +
                                        " to the folder holding PSPeer.psd1.");
                return 1;
            }

            var host = new PeerHost(HostConsole.FromSystemConsole());
            using (var runspace = PeerSessionFactory.OpenRunspace(host, Directory.GetCurrentDirectory()))
            {
                var runner = new ScriptRunner(runspace, host);
                try
                {
                    PeerSessionFactory.ImportModule(runspace, manifest);
                }
                catch (RuntimeException ex)
                {
                    runner.ShowError(ex.ErrorRecord);
                    return 1;
                }

                int cancelPresses = 0;
                ConsoleCancelEventHandler onCancel = (_, e) =>
                {
                    // The first Ctrl+C stops the pipeline gracefully (cmdlets cancel, nodes stop); a second one is
                    // left to the runtime (e.Cancel stays false) and ends the process.
                    if (System.Threading.Interlocked.Increment(ref cancelPresses) > 1) return;
                    e.Cancel = true;
                    runner.Stop();
                };
                Console.CancelKeyPress += onCancel;
                try
                {
                    return runner.Run(scriptText);
                }
                finally
                {
                    Console.CancelKeyPress -= onCancel;
                    // Stop the module's live nodes before the process goes: removing the module runs its cleanup.
                    PeerSessionFactory.RemoveModule(runspace);
                }
            }
        }
    }
}
