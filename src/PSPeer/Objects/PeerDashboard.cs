using System;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Dashboard;

namespace PSPeer
{
    /// <summary>Whether a dashboard still serves its page.</summary>
    public enum PeerDashboardState { Running, Stopped }

    /// <summary>
    /// A live dashboard started by Show-PeerNetwork: a local web page (127.0.0.1, with an unguessable token in its
    /// <see cref="Url"/>) that draws the topology, streams the events, plots counters over time and shows per-system
    /// views. It stays in the session like a node: Get-PeerDashboard lists it, Stop-PeerDashboard or <see cref="Stop"/>
    /// stops it, and it stops by itself with the network(s) it shows and when the module is removed.
    /// </summary>
    public sealed class PeerDashboard
    {
        readonly DashboardHub _hub;
        readonly DashboardServer _server;
        int _stopped;

        PeerDashboard(Guid session, DashboardHub hub, DashboardServer server)
        {
            Session = session;
            _hub = hub;
            _server = server;
            StartTime = DateTimeOffset.Now;
        }

        internal static async Task<PeerDashboard> StartAsync(Guid session, DashboardScope scope, int port)
        {
            PeerDashboard dashboard = null;
            var hub = new DashboardHub(scope, () => dashboard?.Stop());
            DashboardServer server;
            try { server = await DashboardServer.StartAsync(port, DashboardToken.Create(), hub).ConfigureAwait(false); }
            catch
            {
                hub.Dispose();
                throw;
            }
            dashboard = new PeerDashboard(session, hub, server);
            foreach (var network in scope.IsWholeSession ? Array.Empty<PeerNetwork>() : scope.Networks)
                network.Stopped += dashboard.OnNetworkStopped;
            return dashboard;
        }

        internal Guid Session { get; }

        /// <summary>The page's address, token included: open it in a browser on this machine. Anyone with it can read the page.</summary>
        public string Url => _server.Url;
        public int Port => _server.Port;
        /// <summary>What the page shows: network names, node names, or "session" (every network and node of the session, as they come and go).</summary>
        public string Scope => _hub.Scope.Title;
        public PeerDashboardState State => Volatile.Read(ref _stopped) == 0 ? PeerDashboardState.Running : PeerDashboardState.Stopped;
        /// <summary>Nodes in the scope now.</summary>
        public int NodeCount => _hub.Scope.TotalNodes;
        /// <summary>Most nodes drawn per network; beyond it the page draws a breadth-first sample and says so.</summary>
        public int MaxNodes => _hub.Scope.MaxNodes;
        /// <summary>Nodes drawn when the page last asked (a sample of a large network).</summary>
        public int ShownNodeCount => _hub.ShownNodes;
        /// <summary>Nodes whose events are subscribed now: the shown ones while a page is open, none otherwise.</summary>
        public int SubscribedNodeCount => _hub.SubscribedNodes;
        /// <summary>Pages connected now.</summary>
        public int Clients => _hub.Clients;
        public long EventsReceived => _hub.EventsReceived;
        public long EventsSent => _hub.EventsSent;
        /// <summary>Events a page never got because it (or the dashboard) fell behind: dropped and counted, never waited for.</summary>
        public long EventsDropped => _hub.EventsDropped;
        /// <summary>Requests refused for a missing or wrong token, or another Host.</summary>
        public long RequestsRefused => _server.Refused;
        public DateTimeOffset StartTime { get; }

        /// <summary>Stops serving: closes the port and every page's stream, and unsubscribes every node. Safe to call twice.</summary>
        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
            foreach (var network in _hub.Scope.IsWholeSession ? Array.Empty<PeerNetwork>() : _hub.Scope.Networks)
                network.Stopped -= OnNetworkStopped;
            _hub.Dispose();
            _server.Dispose();
            DashboardRegistry.Remove(this);
        }

        void OnNetworkStopped()
        {
            if (_hub.Scope.AllNetworksStopped) Stop();
        }

        public override string ToString() => Url;
    }
}
