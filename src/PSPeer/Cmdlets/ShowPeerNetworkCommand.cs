using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using PSPeer.Dashboard;

namespace PSPeer
{
    /// <summary>
    /// Serves a live dashboard of a network, of nodes, or (given neither) of the whole session on 127.0.0.1, and emits
    /// the PeerDashboard whose Url (with its token) opens it. -Open also opens the default browser where one can be.
    /// </summary>
    [Cmdlet(VerbsCommon.Show, "PeerNetwork", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(PeerDashboard))]
    public sealed class ShowPeerNetworkCommand : PSCmdlet
    {
        const string SessionSet = "Session";
        const string NetworkSet = "Network";
        const string NodeSet = "Node";
        public const int DefaultMaxNodes = 2000;

        readonly List<PeerNetwork> _networks = new List<PeerNetwork>();
        readonly List<PeerNode> _nodes = new List<PeerNode>();

        /// <summary>Networks to show (New-PeerNetwork); the dashboard stops when they have all stopped.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = NetworkSet)]
        [ValidateNotNull]
        public PeerNetwork[] Network { get; set; }

        /// <summary>Nodes to show (Start-PeerNode, Get-PeerNode, names of the session's nodes).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = NodeSet)]
        [ArgumentCompleter(typeof(PeerNodeNameCompleter))]
        [ValidateNotNull]
        public PeerNode[] Node { get; set; }

        /// <summary>The local port to serve on (0, the default: any free port).</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        /// <summary>Open the page in the default browser too (where there is none, as in a remoting session, the URL is only printed).</summary>
        [Parameter]
        public SwitchParameter Open { get; set; }

        /// <summary>Most nodes drawn per network; a larger network is drawn as a breadth-first sample around its first node, and the page says so.</summary>
        [Parameter]
        [ValidateRange(10, 100000)]
        public int MaxNodes { get; set; } = DefaultMaxNodes;

        protected override void ProcessRecord()
        {
            if (Network != null)
                foreach (var network in Network)
                {
                    if (network.IsStopped)
                    {
                        WriteError(Errors.Make(CmdletErrorIds.PeerNetworkStopped, ErrorCategory.InvalidOperation, network,
                            $"Network '{network.Name}' has been stopped: there is nothing to show.", "Compose a new one with New-PeerNetwork."));
                        continue;
                    }
                    if (!_networks.Contains(network)) _networks.Add(network);
                }
            if (Node != null)
                foreach (var node in Node)
                    if (!_nodes.Contains(node)) _nodes.Add(node);
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName != SessionSet && _networks.Count == 0 && _nodes.Count == 0) return;   // only stopped networks: said above
            var session = NodeRegistry.CurrentSession;
            var scope = new DashboardScope(session, _networks, _nodes, MaxNodes);
            PeerDashboard dashboard;
            try { dashboard = PeerDashboard.StartAsync(session, scope, Port).GetAwaiter().GetResult(); }
            catch (Exception e)
            {
                ThrowTerminatingError(Errors.FromException(e, CmdletErrorIds.PeerDashboardFailed, Port));
                return;
            }
            DashboardRegistry.Add(dashboard);
            WriteVerbose($"Dashboard of {dashboard.Scope} at {dashboard.Url}");
            if (Open && !TryOpenBrowser(dashboard.Url))
                WriteWarning($"No browser can be opened from here; open {dashboard.Url} in a browser on this machine.");
            WriteObject(dashboard);
        }

        // A remoting session's "browser" would open on the remote machine, unseen: never there. Elsewhere the system's
        // own opener, and on Linux only with a display to open on.
        bool TryOpenBrowser(string url)
        {
            if (Host.Name == "ServerRemoteHost") return false;
            try
            {
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    using (Process.Start(new ProcessStartInfo(url) { UseShellExecute = true })) return true;
                }
                if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
                    return Launch("open", url);
                bool display = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY"))
                               || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY"));
                return display && OnPath("xdg-open") && Launch("xdg-open", url);
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is InvalidOperationException || e is IOException)
            {
                return false;
            }
        }

        static bool Launch(string program, string url)
        {
            var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.Arguments = "\"" + url + "\"";   // the URL is ours: http, 127.0.0.1, a port and a URL-safe token
            using (var process = Process.Start(start)) return process != null;
        }

        static bool OnPath(string program) =>
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
                .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, program)));
    }
}
