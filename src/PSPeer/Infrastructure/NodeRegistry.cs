using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;

namespace PSPeer
{
    /// <summary>
    /// The live nodes of the process, grouped by PowerShell session (runspace): nodes outlive the cmdlet that
    /// started them, Get-PeerNode lists the current session's, and removing the module, closing the runspace or
    /// ending the process stops them. Sessions are separate so that two runspaces (parallel tests, jobs) neither
    /// see nor stop each other's nodes.
    /// </summary>
    public static class NodeRegistry
    {
        static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);
        static readonly object Gate = new object();
        static readonly Dictionary<Guid, List<PeerNode>> Sessions = new Dictionary<Guid, List<PeerNode>>();
        static readonly Dictionary<Guid, HashSet<string>> Reserved = new Dictionary<Guid, HashSet<string>>();
        static readonly HashSet<Guid> Watched = new HashSet<Guid>();

        static NodeRegistry()
        {
            AppDomain.CurrentDomain.ProcessExit += (s, e) => StopAll();
        }

        /// <summary>The session of the calling pipeline thread (Guid.Empty outside any runspace).</summary>
        internal static Guid CurrentSession
        {
            get
            {
                var runspace = Runspace.DefaultRunspace;
                if (runspace == null) return Guid.Empty;
                lock (Gate)
                {
                    if (Watched.Add(runspace.InstanceId))
                        runspace.StateChanged += OnRunspaceStateChanged;
                }
                return runspace.InstanceId;
            }
        }

        static void OnRunspaceStateChanged(object sender, RunspaceStateEventArgs e)
        {
            var state = e.RunspaceStateInfo.State;
            if ((state == RunspaceState.Closed || state == RunspaceState.Broken) && sender is Runspace runspace)
            {
                StopSession(runspace.InstanceId);
                lock (Gate) Watched.Remove(runspace.InstanceId);
            }
        }

        /// <summary>The current session's nodes in start order.</summary>
        public static IReadOnlyList<PeerNode> GetNodes() => GetNodes(CurrentSession);

        internal static IReadOnlyList<PeerNode> GetNodes(Guid session)
        {
            lock (Gate) return Sessions.TryGetValue(session, out var list) ? list.ToArray() : Array.Empty<PeerNode>();
        }

        /// <summary>Claims a name before the node starts, so two starts cannot race to the same name.</summary>
        internal static bool TryReserveName(Guid session, string name)
        {
            lock (Gate)
            {
                if (GetNodes(session).Any(n => NameEquals(n.Name, name))) return false;
                if (!Reserved.TryGetValue(session, out var names)) Reserved[session] = names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                return names.Add(name);
            }
        }

        internal static void ReleaseName(Guid session, string name)
        {
            lock (Gate) if (Reserved.TryGetValue(session, out var names)) names.Remove(name);
        }

        /// <summary>The first "Protocol-Role-N" not taken in the session.</summary>
        internal static string NextName(Guid session, string protocol, string role)
        {
            lock (Gate)
            {
                for (int n = 1; ; n++)
                {
                    string name = $"{protocol}-{role}-{n}";
                    if (TryReserveName(session, name)) return name;
                }
            }
        }

        internal static void Add(Guid session, PeerNode node)
        {
            lock (Gate)
            {
                if (!Sessions.TryGetValue(session, out var list)) Sessions[session] = list = new List<PeerNode>();
                list.Add(node);
                ReleaseName(session, node.Name);
            }
        }

        internal static bool Remove(Guid session, PeerNode node)
        {
            lock (Gate) return Sessions.TryGetValue(session, out var list) && list.Remove(node);
        }

        /// <summary>The most recently started node of the session that matches, or null.</summary>
        internal static PeerNode MostRecent(Guid session, Func<PeerNode, bool> match)
        {
            var nodes = GetNodes(session);
            for (int i = nodes.Count - 1; i >= 0; i--)
                if (match(nodes[i])) return nodes[i];
            return null;
        }

        internal static bool NameEquals(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

        /// <summary>Stops and forgets the current session's nodes (Remove-Module PSPeer).</summary>
        public static void StopSession() => StopSession(CurrentSession);

        internal static void StopSession(Guid session)
        {
            DashboardRegistry.StopSession(session);
            NetworkRegistry.StopSession(session);
            List<PeerNode> nodes;
            lock (Gate)
            {
                if (!Sessions.TryGetValue(session, out nodes)) return;
                Sessions.Remove(session);
            }
            StopNodes(nodes);
        }

        /// <summary>Stops and forgets every node of every session (process exit).</summary>
        public static void StopAll()
        {
            DashboardRegistry.StopAll();
            List<PeerNode> nodes;
            lock (Gate)
            {
                nodes = Sessions.Values.SelectMany(l => l).ToList();
                Sessions.Clear();
            }
            StopNodes(nodes);
        }

        // All in parallel, bounded as a whole (no ordering: a client whose server goes first just skips its goodbye).
        static void StopNodes(IEnumerable<PeerNode> nodes)
        {
            var stops = nodes.Select(n => Task.Run(() => n.StopAsync())).ToArray();
            try { Task.WaitAll(stops, StopWait); }
            catch (AggregateException) { /* a node that fails to stop cleanly is still forgotten */ }
        }
    }

    /// <summary>Remove-Module PSPeer stops the session's nodes and frees their ports.</summary>
    public sealed class ModuleLifetime : IModuleAssemblyCleanup
    {
        public void OnRemove(PSModuleInfo psModuleInfo) => NodeRegistry.StopSession();
    }
}
