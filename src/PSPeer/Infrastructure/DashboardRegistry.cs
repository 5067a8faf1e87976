using System;
using System.Collections.Generic;

namespace PSPeer
{
    /// <summary>
    /// The dashboards of each session (runspace), like <see cref="NodeRegistry"/>'s nodes: Get-PeerDashboard lists the
    /// current session's, and removing the module, closing the runspace or ending the process stops them.
    /// </summary>
    internal static class DashboardRegistry
    {
        static readonly SessionLists<PeerDashboard> Sessions = new SessionLists<PeerDashboard>();

        public static IReadOnlyList<PeerDashboard> Get(Guid session) => Sessions.Get(session);

        public static void Add(PeerDashboard dashboard) => Sessions.Add(dashboard.Session, dashboard);

        public static void Remove(PeerDashboard dashboard) => Sessions.Remove(dashboard);

        public static void StopSession(Guid session)
        {
            foreach (var d in Get(session)) d.Stop();
        }

        public static void StopAll()
        {
            foreach (var d in Sessions.All()) d.Stop();
        }
    }
}
