using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using PSPeer.Host.Hosting;

namespace PSPeer.Host.Session
{
    /// <summary>
    /// Builds the runspace scripts run in: PowerShell's default session state, stand-ins for the everyday Utility
    /// and Management cmdlets that the System.Management.Automation package lacks, the caller's current directory,
    /// and the built PSPeer module imported. Used by the host program and by the module tests alike, so the tests
    /// exercise what users run.
    /// </summary>
    public static class PeerSessionFactory
    {
        const string ShimResource = "PSPeer.Host.CoreCommandShims.ps1";

        public static InitialSessionState CreateInitialSessionState()
        {
            var state = InitialSessionState.CreateDefault2();
            // Examples and the module's own files are local scripts; on Windows the default policy would refuse them.
            // (Elsewhere there are no execution policies, and setting one throws PlatformNotSupported.)
            if (OperatingSystem.IsWindows()) state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
            AddMissingCommandShims(state);
            return state;
        }

        /// <summary>Opens a runspace on <paramref name="host"/>, located in <paramref name="workingDirectory"/>.</summary>
        public static Runspace OpenRunspace(PSHost host, string workingDirectory)
        {
            var runspace = RunspaceFactory.CreateRunspace(host, CreateInitialSessionState());
            runspace.Open();
            runspace.SessionStateProxy.Path.SetLocation(WildcardPattern.Escape(workingDirectory));
            return runspace;
        }

        /// <summary>Imports the module; throws the import's own error when the module cannot load.</summary>
        public static void ImportModule(Runspace runspace, string manifestPath)
        {
            using (var ps = PowerShell.Create())
            {
                ps.Runspace = runspace;
                ps.AddCommand("Import-Module").AddParameter("Name", manifestPath).AddParameter("ErrorAction", ActionPreference.Stop);
                ps.Invoke();
            }
        }

        /// <summary>The names of the stand-in functions (for tests and diagnostics).</summary>
        public static IReadOnlyList<string> ShimNames => ReadShims().Select(s => s.Name).ToList();

        static void AddMissingCommandShims(InitialSessionState state)
        {
            var present = new HashSet<string>(state.Commands.Select(c => c.Name), StringComparer.OrdinalIgnoreCase);
            foreach (var shim in ReadShims())
            {
                if (present.Contains(shim.Name)) continue;
                state.Commands.Add(new SessionStateFunctionEntry(shim.Name, shim.Body));
            }
        }

        static IEnumerable<(string Name, string Body)> ReadShims()
        {
            string text;
            using (var stream = typeof(PeerSessionFactory).Assembly.GetManifestResourceStream(ShimResource)
                                ?? throw new InvalidOperationException($"The host was built without {ShimResource}."))
            using (var reader = new StreamReader(stream))
                text = reader.ReadToEnd();

            var ast = Parser.ParseInput(text, out _, out ParseError[] errors);
            if (errors.Length > 0)
                throw new InvalidOperationException($"{ShimResource} does not parse: {errors[0].Message} at line {errors[0].Extent.StartLineNumber}.");

            foreach (var function in ast.EndBlock.Statements.OfType<FunctionDefinitionAst>())
            {
                // A function entry takes the body's contents; the extent includes the braces around them.
                string body = function.Body.Extent.Text;
                yield return (function.Name, body.Substring(1, body.Length - 2));
            }
        }
    }
}
