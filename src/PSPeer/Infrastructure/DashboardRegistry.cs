using System;
using System.Collections.Generic;
using System.Linq;

namespace PSPeer
{
    /// <summary>
    /// The dashboards of each session (runspace), like <see cref="NodeRegistry"/>'s nodes: Get-PeerDashboard lists the
    /// current session's, and removing the module, closing the runspace or ending the process stops them.
    /// </summary>
    internal static class DashboardRegistry
    {
        static readonly object Gate = new object();
        static readonly Dictionary<Guid, List<PeerDashboard>> Sessions = new Dictionary<Guid, List<PeerDashboard>>();

        public static IReadOnlyList<PeerDashboard> Get(Guid session)
        {
            lock (Gate) return Sessions.TryGetValue(session, out var list) ? list.ToArray() : Array.Empty<PeerDashboard>();
        }

        public static void Add(PeerDashboard dashboard)
        {
            lock (Gate)
            {
                if (!Sessions.TryGetValue(dashboard.Session, out var list)) Sessions[dashboard.Session] = list = new List<PeerDashboard>();
                list.Add(dashboard);
            }
        }

        public static void Remove(PeerDashboard dashboard)
        {
            lock (Gate) if (Sessions.TryGetValue(dashboard.Session, out var list)) list.Remove(dashboard);
        }

        public static void StopSession(Guid session)
        {
            foreach (var d in Get(session)) d.Stop();
        }

        public static void StopAll()
        {
            List<PeerDashboard> all;
            lock (Gate) all = Sessions.Values.SelectMany(l => l).ToList();
            foreach (var d in all) d.Stop();
        }
    }
}
