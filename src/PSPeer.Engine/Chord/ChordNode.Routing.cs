using System;
using System.Collections.Generic;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Chord
{
    // The routing state and its local rules: successor list, predecessor chain, fingers, who is closest, who owns
    // or holds a key, and forgetting a node that stopped answering. Callers hold _gate unless noted.
    public sealed partial class ChordNode
    {
        ChordContact _self;
        // [0] the predecessor, [k] its k-th predecessor, up to R deep (the range this node replicates); null when unknown.
        ChordContact[] _predecessors;
        // The successor list, nearest first; replaced, never changed in place, so readers need no lock.
        ChordContact[] _successors;
        readonly FingerTable _fingers = new FingerTable();
        volatile bool _inRing;

        ChordContact _predecessor => _predecessors?[0];

        ChordContact FirstSuccessor => _successors != null && _successors.Length > 0 ? _successors[0] : _self;

        /// <summary>Whether <paramref name="target"/> ∈ (self, successor]: the successor owns it.</summary>
        bool SuccessorOwns(ChordId target) => target.InOpenClosed(_self.Id, FirstSuccessor.Id);

        /// <summary>Whether this node owns <paramref name="target"/>: it lies in (predecessor, self].</summary>
        bool Owns(ChordId target)
        {
            var p = _predecessor;
            return p == null || target.InOpenClosed(p.Id, _self.Id);
        }

        /// <summary>
        /// Whether this node owns or replicates <paramref name="target"/>: it lies in (R-th predecessor, self]. A node
        /// that does not yet know its predecessor chain that deep answers for any key (it cannot tell otherwise yet).
        /// </summary>
        bool Holds(ChordId target)
        {
            var chain = _predecessors;
            if (chain == null || chain[0] == null) return true;
            int r = _options.Replicas;
            for (int k = 0; k < r; k++)
            {
                if (k >= chain.Length || chain[k] == null) return true;
                if (chain[k].Id == _self.Id) return true; // the chain went round a small ring: this node holds everything
            }
            return target.InOpenClosed(chain[r - 1].Id, _self.Id);
        }

        /// <summary>
        /// The closest node this one knows in (self, target), from fingers and successors, passing over
        /// <paramref name="skip"/>; the successor when there is none (null when that is skipped too).
        /// </summary>
        ChordContact ClosestPreceding(ChordId target, IReadOnlyList<ChordId> skip)
        {
            ChordContact best = null;
            foreach (var c in _fingers.Distinct) best = Closer(best, c, target, skip);
            var successors = _successors;
            if (successors != null) foreach (var c in successors) best = Closer(best, c, target, skip);
            if (best != null) return best;
            if (successors != null)
                foreach (var c in successors)
                    if (c.Id != _self.Id && !Contains(skip, c.Id)) return c;
            return null;
        }

        ChordContact Closer(ChordContact best, ChordContact c, ChordId target, IReadOnlyList<ChordId> skip)
        {
            if (c == null || c.Id == _self.Id || !c.Id.InOpen(_self.Id, target) || Contains(skip, c.Id)) return best;
            return best == null || c.Id.InOpen(best.Id, target) ? c : best;
        }

        static bool Contains(IReadOnlyList<ChordId> ids, ChordId id)
        {
            if (ids == null) return false;
            for (int i = 0; i < ids.Count; i++) if (ids[i] == id) return true;
            return false;
        }

        /// <summary>
        /// A contact for <paramref name="id"/> this node already holds (so many tables share one instance), else
        /// <paramref name="fresh"/>.
        /// </summary>
        ChordContact Intern(ChordContact fresh)
        {
            if (fresh == null) return null;
            if (_self != null && fresh.Id == _self.Id) return _self;
            var successors = _successors;
            if (successors != null) foreach (var c in successors) if (c.Id == fresh.Id && c.EndPoint.Equals(fresh.EndPoint)) return c;
            foreach (var c in _fingers.Distinct) if (c != null && c.Id == fresh.Id && c.EndPoint.Equals(fresh.EndPoint)) return c;
            var chain = _predecessors;
            if (chain != null) foreach (var c in chain) if (c != null && c.Id == fresh.Id && c.EndPoint.Equals(fresh.EndPoint)) return c;
            return fresh;
        }

        /// <summary>Replaces the successor list: <paramref name="first"/>, then <paramref name="rest"/> up to (not including) this node, r at most.</summary>
        void SetSuccessors(ChordContact first, IReadOnlyList<ChordContact> rest)
        {
            int r = _options.SuccessorListLength;
            var list = new List<ChordContact>(r) { Intern(first) };
            if (rest != null && first.Id != _self.Id)
            {
                foreach (var c in rest)
                {
                    if (list.Count >= r || c == null || c.Id == _self.Id) break;
                    if (list.Exists(x => x.Id == c.Id)) continue;
                    list.Add(Intern(c));
                }
            }
            var old = FirstSuccessor;
            var changed = _successors == null || _successors.Length != list.Count;
            if (!changed) for (int i = 0; i < list.Count; i++) if (!ReferenceEquals(_successors[i], list[i]) && _successors[i].Id != list[i].Id) { changed = true; break; }
            if (!changed) return;
            _successors = list.ToArray();
            if (old.Id != list[0].Id) Note(PeerEventTypes.SuccessorChanged, list[0], old);
        }

        void SetPredecessor(ChordContact p)
        {
            var old = _predecessor;
            if (old == null && p == null) return;
            if (old != null && p != null && old.Id == p.Id) return;
            if (_predecessors == null) _predecessors = new ChordContact[Math.Max(1, _options.Replicas)];
            Array.Clear(_predecessors, 0, _predecessors.Length);
            _predecessors[0] = p == null ? null : Intern(p);
            Note(PeerEventTypes.PredecessorChanged, p, old);
        }

        /// <summary>Forgets a node that stopped answering: out of the successor list, fingers and predecessor chain.</summary>
        void Forget(ChordContact dead)
        {
            if (dead == null || dead.Id == _self.Id) return;
            _fingers.Remove(dead.Id);
            var chain = _predecessors;
            if (chain != null)
            {
                if (chain[0] != null && chain[0].Id == dead.Id) SetPredecessor(null);
                else for (int k = 1; k < chain.Length; k++) if (chain[k] != null && chain[k].Id == dead.Id) { for (int j = k; j < chain.Length; j++) chain[j] = null; break; }
            }
            var successors = _successors;
            if (successors != null && Array.Exists(successors, c => c.Id == dead.Id))
            {
                var rest = Array.FindAll(successors, c => c.Id != dead.Id);
                if (rest.Length == 0) SetSuccessors(_self, null);
                else SetSuccessors(rest[0], rest);
            }
            Note(PeerEventTypes.NodeSuspected, dead, null);
        }

        // Ring events found under the lock, emitted after it is released (a subscriber may call back into the node).
        List<(string Type, ChordContact New, ChordContact Old)> _pendingEvents; // made when someone watches

        void Note(string type, ChordContact now, ChordContact before)
        {
            if (HasEventObservers) (_pendingEvents ?? (_pendingEvents = new List<(string, ChordContact, ChordContact)>())).Add((type, now, before));
        }

        void FlushEvents()
        {
            (string Type, ChordContact New, ChordContact Old)[] events;
            lock (_gate)
            {
                if (_pendingEvents == null || _pendingEvents.Count == 0) return;
                events = _pendingEvents.ToArray();
                _pendingEvents.Clear();
            }
            if (!HasEventObservers) return;
            foreach (var e in events)
            {
                switch (e.Type)
                {
                    case PeerEventTypes.NodeSuspected:
                        Emit(e.Type, e.New.EndPoint.ToString(), $"{e.New} stopped answering", D("Peer", e.New.ToString()), D("PeerId", e.New.Id.ToHex()));
                        break;
                    default:
                        Emit(e.Type, e.New?.EndPoint.ToString(), $"{(e.Type == PeerEventTypes.SuccessorChanged ? "successor" : "predecessor")} {e.Old?.ToString() ?? "(none)"} -> {e.New?.ToString() ?? "(none)"}",
                            D("Old", e.Old?.ToString()), D("New", e.New?.ToString()), D("NewId", e.New?.Id.ToHex()));
                        break;
                }
            }
        }
    }
}
