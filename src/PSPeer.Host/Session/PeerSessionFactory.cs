using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;

namespace PSPeer.Host.Session
{
    /// <summary>
    /// Builds the runspace scripts run in: PowerShell's default session state with the modules that ship with
    /// Microsoft.PowerShell.SDK (Utility, Management, Security: Format-Table, Select-Object, Join-Path, Write-Host,
    /// Start-Sleep... load on first use, as in pwsh), the caller's current directory, and the built PSPeer module
    /// imported. Used by the host program and by the module tests alike, so the tests exercise what users run.
    /// </summary>
    public static class PeerSessionFactory
    {
        const string ModulePathVariable = "PSModulePath";

        /// <summary>
        /// The modules of the PowerShell this process hosts ($PSHOME/Modules; with the SDK, $PSHOME is the folder
        /// of System.Management.Automation.dll).
        /// </summary>
        public static string BuiltInModulePath =>
            Path.Combine(Path.GetDirectoryName(typeof(PSObject).Assembly.Location), "Modules");

        /// <summary>
        /// The default session state. With <paramref name="modulePath"/>, PSModulePath is exactly that when the
        /// runspace opens, instead of PowerShell's usual user, shared and $PSHOME folders followed by whatever the
        /// caller's environment held: tests pass <see cref="BuiltInModulePath"/>, so a pwsh that runs `dotnet test`
        /// (build.ps1) cannot lend its own modules to the session. PSModulePath is an environment variable, so this
        /// holds for the whole process.
        /// </summary>
        public static InitialSessionState CreateInitialSessionState(string modulePath = null)
        {
            var state = InitialSessionState.CreateDefault2();
            if (modulePath != null)
                state.EnvironmentVariables.Add(new SessionStateVariableEntry(ModulePathVariable, modulePath, "Where this session finds modules."));
            // Examples and the module's own files are local scripts; on Windows the default policy would refuse them.
            // (Elsewhere there are no execution policies, and setting one throws PlatformNotSupported.)
            if (OperatingSystem.IsWindows()) state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
            return state;
        }

        /// <summary>
        /// Opens a runspace on <paramref name="host"/>, located in <paramref name="workingDirectory"/>, finding modules
        /// in <paramref name="modulePath"/> only when one is given (see <see cref="CreateInitialSessionState"/>).
        /// </summary>
        public static Runspace OpenRunspace(PSHost host, string workingDirectory, string modulePath = null)
        {
            var runspace = RunspaceFactory.CreateRunspace(host, CreateInitialSessionState(modulePath));
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
