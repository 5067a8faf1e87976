using System;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Chord.Krpc;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Chord
{
    // Ring maintenance, the paper's §5, on one timer per node: stabilize (ask the successor for its predecessor,
    // adopt it when it sits between us, refresh the successor list from it, notify it), fix_fingers (refresh the
    // next finger), check_predecessor (forget a predecessor that stopped answering; learn the predecessor chain that
    // tells which keys this node replicates, and pull replicas when it changes), plus expiry of values and the
    // publisher's refresh. Each job runs at most once at a time; the timer fires at the earliest due job.
    public sealed partial class ChordNode
    {
        IDisposable _timer;
        Action _tick;
        long _stabilizeDue, _fixFingersDue, _checkPredecessorDue, _sweepDue, _refreshDue;
        int _busy; // bits: which jobs are running
        int _nextFinger;
        int _chainProbe;
        ChordId _replicatedFrom; // the far end of the range last pulled from the predecessor
        bool _replicated;

        const int StabilizeBit = 1, FixFingersBit = 2, CheckPredecessorBit = 4, RefreshBit = 8;
        static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

        void StartMaintenance()
        {
            long now = Runtime.Clock.Now.UtcTicks;
            // Spread the first rounds over an interval so a ring started at once does not stabilize in lockstep.
            _stabilizeDue = Jittered(now, _options.StabilizeInterval);
            _fixFingersDue = Jittered(now, _options.FixFingersInterval);
            _checkPredecessorDue = Jittered(now, _options.CheckPredecessorInterval);
            _sweepDue = now + SweepInterval.Ticks;
            _refreshDue = Due(now, _options.RefreshInterval);
            ScheduleTick(now);
        }

        // The first round falls between half an interval and a whole one, at a point taken from the node's id: spread
        // like a random draw, deterministic, and without making the host's random source (see OnStartAsync).
        long Jittered(long now, TimeSpan interval) =>
            interval.Ticks >= Never ? long.MaxValue : now + (long)(interval.Ticks * (0.5 + IdFraction() * 0.5));

        double IdFraction() => (_self.Id.GetHashCode() & 0x7fffffff) / (double)int.MaxValue;

        void StopMaintenance()
        {
            IDisposable timer;
            lock (_gate) { timer = _timer; _timer = null; }
            timer?.Dispose();
        }

        /// <summary>Intervals beyond this mean "never" (a builder that wants no maintenance sets TimeSpan.MaxValue).</summary>
        static readonly long Never = TimeSpan.FromDays(36500).Ticks;

        static long Due(long now, TimeSpan interval) => interval.Ticks >= Never ? long.MaxValue : now + interval.Ticks;

        // When the timer will next fire; long.MaxValue when none is pending.
        long _tickDue = long.MaxValue;

        void ScheduleTick(long now)
        {
            lock (_gate)
            {
                if (Stopping.IsCancellationRequested) return;
                // The sweep and the refresh wait only while there is something to sweep or refresh: an idle node of a
                // pre-computed ring without maintenance has no timer at all.
                long due = Math.Min(Math.Min(_stabilizeDue, _fixFingersDue), _checkPredecessorDue);
                if (_store != null) due = Math.Min(due, _sweepDue);
                if (_published != null) due = Math.Min(due, _refreshDue);
                if (due >= _tickDue) return;
                _timer?.Dispose();
                _tickDue = due;
                if (due == long.MaxValue) { _timer = null; return; }
                _timer = Runtime.Clock.Schedule(TimeSpan.FromTicks(Math.Max(0, due - now)), _tick ?? (_tick = Tick));
            }
        }

        /// <summary>Something was stored or published: make sure the sweep / refresh will run.</summary>
        void WakeMaintenance()
        {
            if (_tickDue != long.MaxValue && _tickDue <= Math.Min(_sweepDue, _refreshDue)) return;
            if (State == NodeState.Running || State == NodeState.Starting) ScheduleTick(Runtime.Clock.Now.UtcTicks);
        }

        void Tick()
        {
            if (Stopping.IsCancellationRequested) return;
            long now = Runtime.Clock.Now.UtcTicks;
            lock (_gate) _tickDue = long.MaxValue;
            if (now >= _stabilizeDue) { _stabilizeDue = Due(now, _options.StabilizeInterval); Run(StabilizeBit, StabilizeAsync); }
            if (now >= _fixFingersDue) { _fixFingersDue = Due(now, _options.FixFingersInterval); Run(FixFingersBit, FixFingersAsync); }
            if (now >= _checkPredecessorDue) { _checkPredecessorDue = Due(now, _options.CheckPredecessorInterval); Run(CheckPredecessorBit, CheckPredecessorAsync); }
            if (now >= _sweepDue)
            {
                _sweepDue = now + SweepInterval.Ticks;
                lock (_gate) if (_store != null && _store.Sweep(now) > 0 && _store.KeyCount == 0) _store = null;
            }
            if (now >= _refreshDue) { _refreshDue = Due(now, _options.RefreshInterval); Run(RefreshBit, RefreshPublishedAsync); }
            ScheduleTick(now);
        }

        async void Run(int bit, Func<Task> job)
        {
            lock (_gate)
            {
                if ((_busy & bit) != 0) return; // the last round is still waiting for answers
                _busy |= bit;
            }
            try
            {
                if (_inRing || bit == RefreshBit) await job().ConfigureAwait(Runtime.IsSimulated);
            }
            catch (OperationCanceledException) { /* stopping */ }
            catch (ObjectDisposedException) { /* stopping */ }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                if (HasEventObservers) Emit(PeerEventTypes.MalformedMessage, null, "ring maintenance failed: " + e.Message, D("Reason", e.GetType().Name));
            }
            finally
            {
                lock (_gate) _busy &= ~bit;
                FlushEvents();
            }
        }

        Task<KrpcMessage> AskAsync(ChordContact to, string method, CancellationToken cancellationToken) =>
            QueryAsync(to.EndPoint, KrpcMessage.Query(method, _self.Id), _options.RpcTimeout, _options.RpcRetries + 1, cancellationToken);

        async Task StabilizeAsync()
        {
            ChordContact successor;
            lock (_gate)
            {
                successor = FirstSuccessor;
                if (successor.Id == _self.Id)
                {
                    // Alone (or everyone else gone): whoever notified us is the way back into a ring.
                    var p = _predecessor;
                    if (p != null && p.Id != _self.Id) SetSuccessors(p, null);
                    else return;
                    successor = FirstSuccessor;
                }
            }
            var answer = await AskAsync(successor, KrpcMethod.GetPredecessor, Stopping).ConfigureAwait(Runtime.IsSimulated);
            if (answer == null || answer.Kind != KrpcKind.Response)
            {
                if (answer == null) lock (_gate) Forget(successor);
                return;
            }
            var x = answer.Node;
            if (x != null && x.Id != _self.Id && x.Id.InOpen(_self.Id, successor.Id))
            {
                lock (_gate) SetSuccessors(x, _successors);
                successor = FirstSuccessor;
            }
            var list = await AskAsync(successor, KrpcMethod.GetSuccessors, Stopping).ConfigureAwait(Runtime.IsSimulated);
            if (list == null)
            {
                lock (_gate) Forget(successor);
                return;
            }
            if (list.Kind == KrpcKind.Response && list.Nodes != null)
                lock (_gate) if (FirstSuccessor.Id == successor.Id) SetSuccessors(successor, list.Nodes);
            await NotifyAsync(successor, Stopping).ConfigureAwait(Runtime.IsSimulated);
        }

        async Task NotifyAsync(ChordContact successor, CancellationToken cancellationToken)
        {
            if (successor.Id == _self.Id) return;
            await AskAsync(successor, KrpcMethod.Notify, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
        }

        async Task CheckPredecessorAsync()
        {
            // With the predecessor chain fresh, copies this node no longer holds for the ring go to those that do.
            if (await CheckPredecessorChainAsync().ConfigureAwait(Runtime.IsSimulated))
                await HandOffStaleKeysAsync().ConfigureAwait(Runtime.IsSimulated);
        }

        // True when the predecessor answered (the chain is as fresh as this round makes it).
        async Task<bool> CheckPredecessorChainAsync()
        {
            ChordContact p;
            lock (_gate) p = _predecessor;
            if (p == null) return false;
            var answer = await AskAsync(p, KrpcMethod.GetPredecessor, Stopping).ConfigureAwait(Runtime.IsSimulated);
            if (answer == null)
            {
                lock (_gate) if (_predecessor != null && _predecessor.Id == p.Id) Forget(p);
                return false;
            }
            int r = _options.Replicas;
            if (answer.Kind != KrpcKind.Response) return false;
            if (r < 2) return true;
            lock (_gate)
            {
                if (_predecessor == null || _predecessor.Id != p.Id) return false;
                SetChain(1, answer.Node);
            }
            // One deeper link per round, in turn, so the chain to the R-th predecessor fills in and stays fresh.
            if (r > 2)
            {
                int k = 1 + (_chainProbe++ % (r - 2));
                ChordContact probe;
                lock (_gate) probe = _predecessors[k];
                if (probe != null && probe.Id != _self.Id)
                {
                    var deeper = await AskAsync(probe, KrpcMethod.GetPredecessor, Stopping).ConfigureAwait(Runtime.IsSimulated);
                    lock (_gate)
                    {
                        if (_predecessors[k] == null || _predecessors[k].Id != probe.Id) return false;
                        if (deeper == null) { for (int j = k; j < _predecessors.Length; j++) _predecessors[j] = null; return false; }
                        if (deeper.Kind == KrpcKind.Response) SetChain(k + 1, deeper.Node);
                    }
                }
            }
            await ReplicateFromPredecessorAsync().ConfigureAwait(Runtime.IsSimulated);
            return true;
        }

        // The k-th link of the predecessor chain learned; the deeper ones are stale when it changed.
        void SetChain(int k, ChordContact node)
        {
            if (k >= _predecessors.Length) return;
            var old = _predecessors[k];
            if (old != null && node != null && old.Id == node.Id) return;
            _predecessors[k] = node == null ? null : Intern(node);
            for (int j = k + 1; j < _predecessors.Length; j++) _predecessors[j] = null;
        }

        /// <summary>
        /// When the range this node replicates changed (a new R-th predecessor: a failure or a join behind us), pulls
        /// (R-th predecessor, predecessor] from the predecessor, which holds all of it: replicas are made again.
        /// </summary>
        async Task ReplicateFromPredecessorAsync()
        {
            ChordContact p, far;
            lock (_gate)
            {
                int r = _options.Replicas;
                if (_predecessors == null || _predecessors.Length < r) return;
                p = _predecessors[0];
                far = _predecessors[r - 1];
                if (p == null || far == null || far.Id == _self.Id || p.Id == _self.Id) return;
                if (_replicated && _replicatedFrom == far.Id) return;
                _replicated = true;
                _replicatedFrom = far.Id;
            }
            await PullKeysAsync(p, far.Id, p.Id, "Replicate", Stopping).ConfigureAwait(Runtime.IsSimulated);
        }

        async Task FixFingersAsync()
        {
            int i;
            ChordId start;
            lock (_gate)
            {
                // Fingers whose start lies in (self, successor] are the successor: set them without a message, then look
                // up the first one that needs the ring.
                int checkedCount = 0;
                while (true)
                {
                    i = _nextFinger;
                    _nextFinger = (_nextFinger + 1) % ChordId.Bits;
                    start = _self.Id.AddPowerOfTwo(i);
                    if (!SuccessorOwns(start)) break;
                    _fingers.Set(i, FirstSuccessor.Id == _self.Id ? null : FirstSuccessor);
                    if (++checkedCount >= ChordId.Bits) return;
                }
            }
            var lookup = new ChordLookupResult { KeyId = start, Mode = ChordLookupMode.Iterative };
            await IterativeAsync(start, lookup, Stopping).ConfigureAwait(Runtime.IsSimulated);
            if (!lookup.Succeeded) return;
            lock (_gate) _fingers.Set(i, lookup.Owner.Id == _self.Id ? null : Intern(lookup.Owner));
        }
    }
}
