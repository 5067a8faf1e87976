using System;
using System.Linq;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;

namespace PSPeer.Engine.Networks
{
    /// <remarks>
    /// NATs in a simulated network (<see cref="GnutellaNetworkOptions.NatFraction"/>): each chosen node sits alone on a
    /// home network behind its own NAT box of <see cref="GnutellaNetworkOptions.NatKind"/>, leaves first (ultrapeers
    /// must take connections, so real ones are seldom NATed). A planned link whose callee is NATed is dialled the other
    /// way, as a NATed servent dials out; between two NATed nodes it fails and is counted. Every servent then detects
    /// whether it is firewalled, so NATed ones answer with the push flag.
    /// </remarks>
    public sealed partial class GnutellaNetwork
    {
        bool[] _behindNat;

        /// <summary>Nodes behind a NAT (0 without <see cref="GnutellaNetworkOptions.NatFraction"/>).</summary>
        public int NattedCount => _behindNat?.Count(b => b) ?? 0;

        /// <summary>Whether node <paramref name="node"/> sits behind a NAT.</summary>
        public bool IsBehindNat(int node) => _behindNat != null && _behindNat[node];

        /// <summary>Chooses the NATed nodes with a random source of their own, so the rest of the build draws as without NATs.</summary>
        void PlanNats()
        {
            if (_options.NatFraction <= 0) return;
            var random = new SeededRandom(SeedDerivation.Derive(_options.Seed, "network/nat"));
            int count = (int)Math.Round(_options.NatFraction * _layout.Count);
            var order = Enumerable.Range(0, _layout.Count).Select(i => (i, key: random.NextDouble()))
                .OrderBy(p => _layout.IsUltrapeer[p.i]).ThenBy(p => p.key).Select(p => p.i).Take(count);
            _behindNat = new bool[_layout.Count];
            foreach (int i in order) _behindNat[i] = true;
        }

        SimulatedHost AddSimulatedHost(int i)
        {
            if (!IsBehindNat(i)) return Simulation.AddHost(NodeName(i));
            var nat = Simulation.AddNat(NodeName(i) + "-nat", NatOptions.For(_options.NatKind));
            return Simulation.AddHost(NodeName(i), nat);
        }

        /// <summary>A NATed callee cannot take the call: its end dials instead.</summary>
        (int from, int to) DialDirection(int from, int to) =>
            IsBehindNat(to) && !IsBehindNat(from) ? (to, from) : (from, to);
    }
}
