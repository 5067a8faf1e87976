using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using PSPeer.Host.Hosting;
using PSPeer.Host.Session;

namespace PSPeer.Module.Tests.Support
{
    /// <summary>
    /// A PowerShell runspace with the built module (out/PSPeer) imported, set up exactly as the PSPeer host sets up
    /// the scripts users run, located in a fresh temp folder. Modules come from the hosted PowerShell's own folder
    /// ($PSHOME/Modules) and the built module's path, never from the PSModulePath of whoever started the tests. Runs scripts with a bounded wait and hands back
    /// output objects and error records. Dispose removes the module (which stops every node) and the temp folder.
    /// </summary>
    public sealed class ModuleSession : IDisposable
    {
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);

        readonly StringWriter _hostOutput = new StringWriter();
        readonly StringWriter _hostError = new StringWriter();

        public ModuleSession(bool importModule = true)
        {
            Temp = new TempFolder();
            Host = new PeerHost(HostConsole.Captured(TextWriter.Synchronized(_hostOutput), TextWriter.Synchronized(_hostError)));
            Runspace = PeerSessionFactory.OpenRunspace(Host, Temp.Path, PeerSessionFactory.BuiltInModulePath);
            if (!importModule) return;
            ManifestPath = RequireManifest();
            PeerSessionFactory.ImportModule(Runspace, ManifestPath);
        }

        public TempFolder Temp { get; }
        public PeerHost Host { get; }
        public Runspace Runspace { get; }
        public string ManifestPath { get; }

        /// <summary>What the host UI printed (tables from Out-Default; errors and warnings go to HostError).</summary>
        public string HostOutput => _hostOutput.ToString();
        public string HostError => _hostError.ToString();

        public static string RequireManifest()
        {
            string manifest = ModuleLocator.FindManifest(out var searched);
            if (manifest == null)
                throw new InvalidOperationException("The built module was not found (looked for " + string.Join(", ", searched) +
                                                    "). Build src/PSPeer first; it lays out out/PSPeer.");
            return manifest;
        }

        public static string RepoRoot =>
            ModuleLocator.FindRepoRoot(AppContext.BaseDirectory) ?? ModuleLocator.FindRepoRoot(Directory.GetCurrentDirectory())
            ?? throw new InvalidOperationException("PSPeer.sln was not found above the test folder.");

        /// <summary>Runs <paramref name="script"/> with the given variables set, waiting at most <paramref name="timeout"/>.</summary>
        public ScriptResult Run(string script, IDictionary<string, object> variables = null, TimeSpan? timeout = null)
        {
            using (var ps = Create(script, variables))
            {
                var output = new PSDataCollection<PSObject>();
                IAsyncResult pending = ps.BeginInvoke<PSObject, PSObject>(null, output);
                if (!pending.AsyncWaitHandle.WaitOne(timeout ?? DefaultTimeout))
                {
                    ps.Stop();
                    throw new TimeoutException($"The script did not finish within {(timeout ?? DefaultTimeout).TotalSeconds} s:\n{script}");
                }

                RuntimeException terminating = null;
                try { ps.EndInvoke(pending); }
                catch (RuntimeException ex) { terminating = ex; }

                return new ScriptResult(output.ToList(), ps.Streams.Error.ToList(), ps.HadErrors, terminating, ps.Streams.Progress.ToList());
            }
        }

        /// <summary>
        /// Renders the objects <paramref name="expression"/> yields with PowerShell's own formatting, by piping them to
        /// Out-Default in this session, and returns exactly what that wrote to the host UI (real pwsh prints the same
        /// text, as Out-String would give).
        /// </summary>
        public string Render(string expression, IDictionary<string, object> variables = null)
        {
            int before = _hostOutput.GetStringBuilder().Length;
            Run(expression + " | Out-Default", variables).ShouldSucceed();
            return _hostOutput.ToString().Substring(before);
        }

        /// <summary>A PowerShell on this runspace with the script added, for tests that start it and stop it themselves.</summary>
        public PowerShell Create(string script, IDictionary<string, object> variables = null)
        {
            if (variables != null)
                foreach (var pair in variables) Runspace.SessionStateProxy.SetVariable(pair.Key, pair.Value);
            var ps = PowerShell.Create();
            ps.Runspace = Runspace;
            ps.AddScript(script);
            return ps;
        }

        public void Dispose()
        {
            // Stops every node the module started (its OnRemove), so each test frees its ports.
            PeerSessionFactory.RemoveModule(Runspace);
            Runspace.Dispose();
            Temp.Dispose();
        }
    }
}
