using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Chord.Krpc;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Chord
{
    // Lookups, both ways DNS resolves names.
    //
    // Iterative: this node walks the ring itself, asking closest_preceding of one node after another until one
    // answers with the owner. Recursive: find_successor goes from node to node, each forwarding to its closest
    // preceding node with ttl − 1, and the answer comes back along the same path, each node putting itself in front.
    //
    // Hops (the paper's path length): the first node asked is hop 0 (this node, when it is a ring member; the
    // bootstrap node for a client); each further closest_preceding query or forward adds 1; the step to the owner
    // and retries around dead nodes are not counted. So hops = nodes in Path − 1.
    //
    // A node that does not answer is forgotten (it leaves the fingers and successor list) and the lookup goes around
    // it: iteratively by asking the node before it again with the dead ids in "skip", recursively by forwarding to
    // the next best node. Each such step counts in Retries.
    public sealed partial class ChordNode
    {
        /// <summary>Queries an iterative lookup may send before it gives up (a loop or a ring in pieces).</summary>
        const int MaxIterativeSteps = 64;
        /// <summary>Next hops a recursive step tries before it answers that no node would take the lookup.</summary>
        const int MaxForwardTries = 4;

        /// <summary>Finds the owner of <paramref name="key"/> (its id is SHA-1 of the UTF-8 name). Never throws for a failed lookup: see Succeeded and Failure.</summary>
        public Task<ChordLookupResult> LookupAsync(string key, ChordLookupMode mode, CancellationToken cancellationToken = default)
        {
            if (key == null) throw new ArgumentNullException(nameof(key));
            return LookupAsync(ChordId.FromKey(key), key, mode, true, cancellationToken);
        }

        /// <summary>Finds the owner of <paramref name="target"/>: the first node at or after it on the ring.</summary>
        public Task<ChordLookupResult> LookupAsync(ChordId target, ChordLookupMode mode, CancellationToken cancellationToken = default) =>
            LookupAsync(target, null, mode, true, cancellationToken);

        async Task<ChordLookupResult> LookupAsync(ChordId target, string key, ChordLookupMode mode, bool counted, CancellationToken cancellationToken)
        {
            RequireRunning();
            var result = new ChordLookupResult { Key = key, KeyId = target, Mode = mode };
            var started = Runtime.Clock.Now;
            try
            {
                if (mode == ChordLookupMode.Iterative) await IterativeAsync(target, result, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
                else await RecursiveAsync(target, result, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
            }
            finally
            {
                result.Latency = Runtime.Clock.Now - started;
                FlushEvents();
            }
            if (counted)
            {
                Interlocked.Increment(ref Counters._lookups);
                if (!result.Succeeded) Interlocked.Increment(ref Counters._lookupsFailed);
                if (HasEventObservers)
                    Emit(PeerEventTypes.ChordLookupCompleted, result.Owner?.EndPoint.ToString(),
                        result.Succeeded ? $"{key ?? target.ToShortHex()} -> {result.Owner} in {result.Hops} hops ({mode})" : $"{key ?? target.ToShortHex()}: lookup failed ({result.Failure})",
                        D("Key", key), D("KeyId", target.ToHex()), D("Owner", result.Owner?.ToString()), D("Hops", result.Hops),
                        D("Path", result.Path.Select(c => c.ToString()).ToArray()), D("Mode", mode.ToString()), D("Retries", result.Retries),
                        D("Messages", result.Messages), D("LatencyMs", result.Latency.TotalMilliseconds), D("Succeeded", result.Succeeded));
            }
            return result;
        }

        static void Fail(ChordLookupResult result, string why)
        {
            result.Succeeded = false;
            result.Failure = why;
            result.Owner = null;
        }

        static void Found(ChordLookupResult result, ChordContact owner, IReadOnlyList<ChordContact> successors, List<ChordContact> path)
        {
            result.Succeeded = true;
            result.Owner = owner;
            result.OwnerSuccessors = successors ?? Array.Empty<ChordContact>();
            result.Path = path;
            result.Hops = Math.Max(0, path.Count - 1);
        }

        async Task IterativeAsync(ChordId target, ChordLookupResult result, CancellationToken cancellationToken)
        {
            var path = new List<ChordContact>();
            List<ChordId> dead = null;
            ChordContact current;
            IPEndPoint currentEndPoint;
            lock (_gate)
            {
                if (_inRing)
                {
                    path.Add(_self);
                    if (_predecessor != null && target.InOpenClosed(_predecessor.Id, _self.Id)) { Found(result, _self, _successors, path); return; }
                    if (SuccessorOwns(target)) { Found(result, FirstSuccessor, _successors, path); return; }
                    current = ClosestPreceding(target, null) ?? FirstSuccessor;
                }
                else current = _entry;
                currentEndPoint = current?.EndPoint ?? _entryEndPoint;
            }
            if (currentEndPoint == null) { Fail(result, "this node knows no ring member to ask"); return; }
            bool askingAgain = false;
            for (int step = 0; step < MaxIterativeSteps; step++)
            {
                var query = KrpcMessage.Query(KrpcMethod.ClosestPreceding, _self.Id);
                query.Target = target;
                if (dead != null) query.Skip = dead.Count <= KrpcCodec.MaxSkip ? dead : dead.GetRange(dead.Count - KrpcCodec.MaxSkip, KrpcCodec.MaxSkip);
                var answer = await QueryAsync(currentEndPoint, query, _options.RpcTimeout, _options.RpcRetries + 1, cancellationToken, result).ConfigureAwait(Runtime.IsSimulated);
                if (answer == null || answer.Kind != KrpcKind.Response || (answer.Owner == null && answer.Next == null))
                {
                    // Dead (or useless): forget it and go around it, from the node that sent us there.
                    result.Retries++;
                    if (current != null) (dead ?? (dead = new List<ChordId>())).Add(current.Id);
                    lock (_gate) if (current != null && answer == null) Forget(current);
                    if (path.Count == 0) { Fail(result, $"the first node asked ({currentEndPoint}) did not answer"); return; }
                    var previous = path[path.Count - 1];
                    if (previous.Id == _self.Id)
                    {
                        lock (_gate) current = ClosestPreceding(target, dead);
                        if (current == null) { Fail(result, "no live node left to ask"); return; }
                        askingAgain = false;
                    }
                    else
                    {
                        current = previous;
                        askingAgain = true;
                    }
                    currentEndPoint = current.EndPoint;
                    continue;
                }
                ChordContact asked;
                lock (_gate) asked = Intern(new ChordContact(answer.SenderId, currentEndPoint));
                if (!askingAgain) path.Add(asked);
                askingAgain = false;
                if (answer.Owner != null)
                {
                    ChordContact owner;
                    lock (_gate) owner = Intern(answer.Owner);
                    Found(result, owner, answer.Nodes, path);
                    return;
                }
                var next = answer.Next;
                if (next.Id == asked.Id || path.Exists(c => c.Id == next.Id) || (dead != null && dead.Contains(next.Id)))
                {
                    Fail(result, $"routing went in a loop at {asked}");
                    return;
                }
                lock (_gate) current = Intern(next);
                currentEndPoint = current.EndPoint;
            }
            Fail(result, $"no owner after {MaxIterativeSteps} steps");
        }

        async Task RecursiveAsync(ChordId target, ChordLookupResult result, CancellationToken cancellationToken)
        {
            bool inRing;
            IPEndPoint entry;
            lock (_gate)
            {
                inRing = _inRing;
                entry = _entry?.EndPoint ?? _entryEndPoint;
                if (inRing && _predecessor != null && target.InOpenClosed(_predecessor.Id, _self.Id))
                {
                    Found(result, _self, _successors, new List<ChordContact> { _self });
                    return;
                }
            }
            if (inRing)
            {
                var answer = await ResolveRecursiveAsync(target, _options.RecursiveTtl, result, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
                if (answer.Error != 0) Fail(result, answer.Text);
                else Found(result, answer.Owner, null, answer.Path);
                return;
            }
            if (entry == null) { Fail(result, "this node knows no ring member to ask"); return; }
            var (response, _) = await ForwardAsync(entry, target, _options.RecursiveTtl, result, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
            if (response == null) { Fail(result, $"the first node asked ({entry}) did not answer"); return; }
            if (response.Kind == KrpcKind.Error) { Fail(result, $"error {response.ErrorCode}: {response.ErrorMessage}"); result.ErrorCode = response.ErrorCode; return; }
            if (response.Owner == null || response.Path == null || response.Path.Count == 0) { Fail(result, "an answer without owner or path"); return; }
            Found(result, response.Owner, null, response.Path.ToList());
        }

        /// <summary>What one node's recursive step came to: the owner and path from here, or an error to pass back.</summary>
        sealed class RecursiveAnswer
        {
            public ChordContact Owner;
            public List<ChordContact> Path;
            public int Error;
            public string Text;
        }

        /// <summary>This node's part of a recursive lookup: answer (the owner is our successor) or forward with ttl − 1.</summary>
        async Task<RecursiveAnswer> ResolveRecursiveAsync(ChordId target, int ttl, ChordLookupResult stats, CancellationToken cancellationToken)
        {
            List<ChordId> skip = null;
            for (int attempt = 0; attempt < MaxForwardTries; attempt++)
            {
                ChordContact next;
                lock (_gate)
                {
                    if (SuccessorOwns(target)) return new RecursiveAnswer { Owner = FirstSuccessor, Path = new List<ChordContact> { _self } };
                    if (ttl <= 0) return new RecursiveAnswer { Error = KrpcErrorCode.HopLimit, Text = "hop limit reached (ttl 0)" };
                    next = ClosestPreceding(target, skip);
                }
                if (next == null) break;
                var (response, alive) = await ForwardAsync(next.EndPoint, target, ttl - 1, stats, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
                if (response != null && response.Kind == KrpcKind.Error)
                    return new RecursiveAnswer { Error = response.ErrorCode, Text = response.ErrorMessage };
                if (response != null && response.Owner != null && response.Path != null && response.Path.Count > 0)
                {
                    var path = new List<ChordContact>(response.Path.Count + 1) { _self };
                    path.AddRange(response.Path);
                    return new RecursiveAnswer { Owner = response.Owner, Path = path };
                }
                if (stats != null) stats.Retries++;
                (skip ?? (skip = new List<ChordId>())).Add(next.Id);
                if (!alive) lock (_gate) Forget(next);
            }
            return new RecursiveAnswer { Error = KrpcErrorCode.Server, Text = "no next node answered" };
        }

        /// <summary>
        /// Sends find_successor once and waits for the answer, which may take the rest of the path. When it is slow,
        /// pings the next node: dead, we go around it (alive = false); alive, we wait on, up to a bound that grows with
        /// the ttl left.
        /// </summary>
        async Task<(KrpcMessage Response, bool Alive)> ForwardAsync(IPEndPoint next, ChordId target, int ttl, ChordLookupResult stats, CancellationToken cancellationToken)
        {
            var pending = Register(next);
            if (pending == null) return (null, false);
            try
            {
                var query = KrpcMessage.Query(KrpcMethod.FindSuccessor, _self.Id);
                query.Target = target;
                query.Ttl = ttl;
                query.TransactionId = new[] { (byte)(pending.Transaction >> 8), (byte)pending.Transaction };
                if (!Send(KrpcCodec.Encode(query), next)) return (null, false);
                if (stats != null) stats.Messages++;
                var timeout = _options.RpcTimeout;
                var answer = await WaitAsync(pending, timeout + timeout, cancellationToken).ConfigureAwait(Runtime.IsSimulated);
                if (answer != null) return (answer, true);
                var ping = await QueryAsync(next, KrpcMessage.Query(KrpcMethod.Ping, _self.Id), timeout, _options.RpcRetries + 1, cancellationToken, stats).ConfigureAwait(Runtime.IsSimulated);
                if (ping == null) return (null, false);
                if (pending.Answer.Task.IsCompleted) return (pending.Answer.Task.Result, true);
                answer = await WaitAsync(pending, TimeSpan.FromTicks(timeout.Ticks * (ttl + 1)), cancellationToken).ConfigureAwait(Runtime.IsSimulated);
                return (answer, true);
            }
            finally { Unregister(pending); }
        }

        /// <summary>A find_successor from a peer: resolve it from here and answer, however long the rest of the path takes.</summary>
        async void AnswerFindSuccessorAsync(KrpcMessage q, IPEndPoint from)
        {
            try
            {
                int ttl = Math.Min(q.Ttl ?? _options.RecursiveTtl, 40); // 41 nodes of path still fit one datagram
                var answer = await ResolveRecursiveAsync(q.Target.Value, ttl, null, Stopping).ConfigureAwait(Runtime.IsSimulated);
                FlushEvents();
                if (answer.Error != 0)
                {
                    ReplyError(q.TransactionId, answer.Error, answer.Text, from);
                    return;
                }
                var r = Response(q.TransactionId);
                r.Owner = answer.Owner;
                r.Hops = answer.Path.Count - 1;
                r.Path = answer.Path;
                r.Token = TokenFor(from);
                Reply(r, from);
            }
            catch (OperationCanceledException) { /* the node stopped */ }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                if (HasEventObservers) Emit(PeerEventTypes.MalformedMessage, from.ToString(), "find_successor failed: " + e.Message, D("Reason", e.GetType().Name));
            }
        }
    }
}
