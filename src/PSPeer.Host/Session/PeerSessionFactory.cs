using System;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;

namespace PSPeer.Host.Session
{
    /// <summary>
    /// Builds the runspace scripts run in: PowerShell's default session state (only the Core cmdlets, since the
    /// System.Management.Automation package carries no Utility or Management module), the caller's current directory,
    /// and the built PSPeer module imported. Nothing imitates the missing cmdlets on purpose: examples and module
    /// tests use only Core cmdlets, PSPeer's own and .NET, so a script that works here works the same in real pwsh,
    /// and one that needs a missing command fails loudly here instead of running against a look-alike.
    /// Used by the host program and by the module tests alike, so the tests exercise what users run.
    /// </summary>
    public static class PeerSessionFactory
    {
        public static InitialSessionState CreateInitialSessionState()
        {
            var state = InitialSessionState.CreateDefault2();
            // Examples and the module's own files are local scripts; on Windows the default policy would refuse them.
            // (Elsewhere there are no execution policies, and setting one throws PlatformNotSupported.)
            if (OperatingSystem.IsWindows()) state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
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

        /// <summary>
        /// Removes the module, whose cleanup stops every live node of the session and frees its ports. Never throws:
        /// callers are on their way out (the host exiting, a test disposing).
        /// </summary>
        public static void RemoveModule(Runspace runspace)
        {
            try
            {
                using (var ps = PowerShell.Create())
                {
                    ps.Runspace = runspace;
                    ps.AddCommand("Remove-Module").AddParameter("Name", "PSPeer").AddParameter("ErrorAction", ActionPreference.SilentlyContinue);
                    ps.Invoke();
                }
            }
            catch (RuntimeException)
            {
                // Leaving anyway; the runspace or the process end closes whatever is left.
            }
        }
    }
}
