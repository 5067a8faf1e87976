using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;

namespace PSPeer.Engine.Networks
{
    // Churn: nodes leave (their host crashes) and come back later as fresh servents that rejoin random live nodes.
    public sealed partial class GnutellaNetwork
    {
        IDisposable _nextDeparture;
        double _leavesPerSecond;
        TimeSpan _downtime;
        int _nodesLeft, _nodesJoined;
        readonly HashSet<int> _down = new HashSet<int>();

        /// <summary>Nodes down right now (left, not yet back).</summary>
        public int NodesDown => _down.Count;

        /// <summary>
        /// Starts churn in a simulated network: departures arrive as a Poisson process of <paramref name="leavesPerSecond"/>
        /// (virtual time); each picks a random node that is up, crashes its host, and restarts it after
        /// <paramref name="downtime"/> with a new servent that links to random live nodes (a leaf to ultrapeers).
        /// A rate of 0 stops churn; nodes already down still come back.
        /// </summary>
        public void SetChurn(double leavesPerSecond, TimeSpan downtime)
        {
            RequireSimulated();
            if (leavesPerSecond < 0) throw new ArgumentOutOfRangeException(nameof(leavesPerSecond), leavesPerSecond, "A rate is 0 or more.");
            if (downtime < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(downtime));
            StopChurn();
            _leavesPerSecond = leavesPerSecond;
            _downtime = downtime;
            if (leavesPerSecond > 0) ScheduleDeparture();
        }

        void StopChurn()
        {
            _nextDeparture?.Dispose();
            _nextDeparture = null;
            _leavesPerSecond = 0;
        }

        void ResetChurnCounts()
        {
            _nodesLeft = 0;
            _nodesJoined = 0;
        }

        void ScheduleDeparture()
        {
            var random = Simulation.Random;
            double wait = -Math.Log(1 - random.NextDouble()) / _leavesPerSecond;
            _nextDeparture = Simulation.Schedule(TimeSpan.FromSeconds(Math.Min(wait, 86400)), () =>
            {
                if (_disposed || _leavesPerSecond <= 0) return;
                Depart();
                ScheduleDeparture();
            });
        }

        void Depart()
        {
            if (_down.Count >= _nodes.Length - 1) return;   // keep at least one node up
            int node;
            do node = Simulation.Random.Next(_nodes.Length); while (_down.Contains(node));
            _down.Add(node);
            _nodesLeft++;
            var old = _nodes[node];
            _hosts[node].Crash();
            lock (_retired) _retired.Add(old);
            // The crash already cut its links; stopping the old servent ends its loops and its event stream.
            Simulation.Spawn(old.StopAsync);
            Simulation.Schedule(_downtime, () => Rejoin(node));
        }

        void Rejoin(int node)
        {
            if (_disposed) return;
            var host = _hosts[node];
            host.Restart();
            var servent = CreateServent(node, host, _layout.Files[node] != null ? "/share" : null);
            Install(node, servent);
            _down.Remove(node);
            _nodesJoined++;
            Simulation.Spawn(async () =>
            {
                try { await servent.StartAsync(); }
                catch (PeerException) { return; }
                foreach (int peer in RejoinPeers(node))
                {
                    try { await servent.ConnectAsync(AddressOf(peer)); }
                    catch (PeerException) { /* that peer went down meanwhile: the others suffice */ }
                }
            });
        }

        /// <summary>Random live peers: ultrapeers for a leaf; for an ultrapeer, as many as its planned degree.</summary>
        List<int> RejoinPeers(int node)
        {
            var random = Simulation.Random;
            bool leaf = !_layout.IsUltrapeer[node];
            int want = leaf ? Math.Min(_options.LeafUltrapeerLinks, _layout.Ultrapeers.Length) : Math.Max(1, _layout.CoreDegree[node]);
            var candidates = new List<int>();
            foreach (int up in _layout.Ultrapeers)
                if (up != node && !_down.Contains(up)) candidates.Add(up);
            var chosen = new List<int>(want);
            while (chosen.Count < want && candidates.Count > 0)
            {
                int pick = random.Next(candidates.Count);
                chosen.Add(candidates[pick]);
                candidates[pick] = candidates[candidates.Count - 1];
                candidates.RemoveAt(candidates.Count - 1);
            }
            return chosen;
        }
    }
}
