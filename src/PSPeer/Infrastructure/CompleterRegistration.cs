using System.Management.Automation;

namespace PSPeer
{
    /// <summary>
    /// On Import-Module, registers node-name completion (PeerNodeNameCompleter) for the node parameters of the cmdlets
    /// that act on or through a node, the way a script module calls Register-ArgumentCompleter. Parameters declared
    /// with [ArgumentCompleter] (Start-PeerNode, New-Torrent) need no entry here; an entry for a parameter a cmdlet
    /// does not have is harmless, so both spellings of an aliased parameter (-Via, -Node) are listed.
    /// </summary>
    public sealed class CompleterRegistration : IModuleAssemblyInitializer
    {
        static readonly (string Command, string Parameter)[] NodeParameters =
        {
            ("Find-PeerFile", "Via"), ("Find-PeerFile", "Node"),
            ("Receive-PeerFile", "Via"), ("Receive-PeerFile", "Node"), ("Receive-PeerFile", "Tracker"),
            ("Publish-PeerFile", "Via"), ("Publish-PeerFile", "Node"),
            ("Stop-PeerNode", "Node"),
            ("Watch-PeerEvent", "Node"),
            ("Get-PeerEventStream", "Node"),
        };

        // Calls the compiled completer, so its filtering by parameter name is the same as for declared completers.
        const string Completer =
            "param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters) " +
            "[PSPeer.PeerNodeNameCompleter]::new().CompleteArgument($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)";

        public void OnImport()
        {
            // Outside a runspace (the assembly loaded by other .NET code) there is no session to register in.
            if (System.Management.Automation.Runspaces.Runspace.DefaultRunspace == null) return;
            using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                var block = ScriptBlock.Create(Completer);
                foreach (var (command, parameter) in NodeParameters)
                {
                    ps.AddCommand("Register-ArgumentCompleter")
                      .AddParameter("CommandName", command).AddParameter("ParameterName", parameter).AddParameter("ScriptBlock", block);
                    ps.AddStatement();
                }
                ps.Invoke();
            }
        }
    }
}
