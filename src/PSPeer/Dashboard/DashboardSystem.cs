using System.Collections.Generic;
using PSPeer.Engine.Core;

namespace PSPeer.Dashboard
{
    /// <summary>
    /// One system the page draws as its own view: a composed network, or the standalone nodes of one protocol. The
    /// page lays each system out by <see cref="Layout"/> ("force" for meshes and stars; "ring" for systems whose nodes
    /// have a place on an identifier circle, such as Chord), so a new system brings its own view without touching the others.
    /// </summary>
    internal sealed class DashboardSystem
    {
        public DashboardSystem(string id, string title, string protocol, string layout, bool simulated, int total)
        {
            Id = id; Title = title; Protocol = protocol; Layout = layout; Simulated = simulated; Total = total;
        }

        public string Id { get; }
        public string Title { get; }
        public string Protocol { get; }
        public string Layout { get; }
        /// <summary>Whether its events carry virtual time (the page replays them at the speed the user picks).</summary>
        public bool Simulated { get; }
        /// <summary>Nodes in the system; <see cref="Shown"/> may hold fewer (a sample).</summary>
        public int Total { get; }
        /// <summary>The nodes drawn (and the only ones whose events are subscribed).</summary>
        public List<PeerNodeBase> Shown { get; } = new List<PeerNodeBase>();
        /// <summary>Links between shown nodes, as positions in <see cref="Shown"/>.</summary>
        public List<int[]> Links { get; } = new List<int[]>();
        /// <summary>Where a sample replaces the whole: what the page must say about it; else null.</summary>
        public string SampleNote { get; set; }
        /// <summary>Per shown node, its place on the ring (0..1) for a "ring" layout; else null.</summary>
        public List<double> RingPositions { get; set; }
        /// <summary>Per shown node, the positions of its distinct fingers (Chord), shown when it is selected; else null.</summary>
        public List<int[]> Fingers { get; set; }
    }
}
