using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using PSPeer.Host.Session;

namespace PSPeer.Pester.Tests
{
    /// <summary>
    /// Runs Invoke-PesterSuite.ps1 (Pester 5.7.1 from the NuGet cache) in a fresh runspace of the hosted PowerShell,
    /// set up like the script host's but with modules only from $PSHOME/Modules, never from the caller's
    /// PSModulePath. The suites import the built module themselves (out/PSPeer, by path).
    /// </summary>
    public static class PesterSuite
    {
        /// <summary>A suite that takes longer than this is stopped and each of its Its fails saying so.</summary>
        public static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);
        static readonly TimeSpan DiscoveryTimeout = TimeSpan.FromMinutes(2);

        public static string RepoRoot =>
            ModuleLocator.FindRepoRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("PSPeer.sln was not found above " + AppContext.BaseDirectory);

        /// <summary>Where the build recorded Pester's manifest (the PackageDownload in the NuGet cache).</summary>
        public static string PesterManifest
        {
            get
            {
                string path = typeof(PesterSuite).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                    .Single(a => a.Key == "PesterManifest").Value;
                if (!File.Exists(path))
                    throw new FileNotFoundException("Pester was not found at " + path + " (the PackageDownload of Pester in " +
                                                    "tests/PSPeer.Pester.Tests puts it there on restore: run `dotnet restore`).", path);
                return path;
            }
        }

        /// <summary>Every *.Tests.ps1 under <paramref name="folder"/> (relative to the repository), in name order.</summary>
        public static IReadOnlyList<string> Files(string folder) =>
            Directory.GetFiles(Path.Combine(RepoRoot, folder), "*.Tests.ps1", SearchOption.AllDirectories)
                .OrderBy(f => f, StringComparer.Ordinal).ToList();

        /// <summary>Discovers each file's Its without running them (one runspace for all files).</summary>
        public static IReadOnlyList<PesterRecord> Discover(string file, Runspace runspace) =>
            Invoke(runspace, file, skipRun: true, DiscoveryTimeout);

        /// <summary>Runs one suite in its own runspace, located in a fresh temporary folder.</summary>
        public static IReadOnlyList<PesterRecord> Run(string file)
        {
            string workFolder = Path.Combine(Path.GetTempPath(), "pspeer-pester-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(workFolder);
            try
            {
                using (var runspace = OpenRunspace(workFolder))
                    return Invoke(runspace, file, skipRun: false, RunTimeout);
            }
            finally
            {
                try { Directory.Delete(workFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }

        public static Runspace OpenRunspace(string workingDirectory)
        {
            var runspace = RunspaceFactory.CreateRunspace(PeerSessionFactory.CreateInitialSessionState(PeerSessionFactory.BuiltInModulePath));
            runspace.Open();
            runspace.SessionStateProxy.Path.SetLocation(WildcardPattern.Escape(workingDirectory));
            return runspace;
        }

        static IReadOnlyList<PesterRecord> Invoke(Runspace runspace, string file, bool skipRun, TimeSpan timeout)
        {
            using (var ps = PowerShell.Create())
            {
                ps.Runspace = runspace;
                ps.AddCommand(Path.Combine(AppContext.BaseDirectory, "Invoke-PesterSuite.ps1"))
                  .AddParameter("PesterManifest", PesterManifest)
                  .AddParameter("Path", file)
                  .AddParameter("SkipRun", skipRun);
                var output = new PSDataCollection<PSObject>();
                IAsyncResult pending = ps.BeginInvoke<PSObject, PSObject>(null, output);
                if (!pending.AsyncWaitHandle.WaitOne(timeout))
                {
                    ps.Stop();
                    throw new TimeoutException($"Pester did not finish {Path.GetFileName(file)} within {timeout.TotalMinutes} minutes.");
                }
                ps.EndInvoke(pending);
                return output.Select(PesterRecord.From).ToList();
            }
        }
    }
}
