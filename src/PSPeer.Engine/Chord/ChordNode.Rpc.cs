using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Chord.Krpc;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Chord
{
    // The KRPC transport: sending, transaction ids, matching answers, timeouts on the runtime's clock, and the
    // receive path that turns every datagram into a handled query, a matched answer, or a counted drop.
    public sealed partial class ChordNode
    {
        readonly object _gate = new object();
        IDatagramSocket _socket;
        // Queries in flight, few at a time: a small array scanned linearly, made on the first query.
        PendingQuery[] _pending;
        int _pendingCount;
        ushort _nextTransaction;

        /// <summary>
        /// One query in flight: its answer, and the timer that sends it again or gives up. Timeouts run on the runtime's
        /// clock as a scheduled action (no task, no token source per wait: a simulated ring sends millions of these).
        /// </summary>
        sealed class PendingQuery
        {
            public ushort Transaction;
            public IPEndPoint To;
            public TaskCompletionSource<KrpcMessage> Answer;
            public ChordNode Node;
            public byte[] Bytes;
            public int SendsLeft;
            public TimeSpan Timeout;
            public ChordLookupResult Stats;
            public IDisposable Timer;
            Action _onTimeout;

            public void Arm() => Timer = Node.Runtime.Clock.Schedule(Timeout, _onTimeout ?? (_onTimeout = OnTimeout));

            void OnTimeout()
            {
                if (Answer.Task.IsCompleted) return;
                if (SendsLeft > 0 && Node.Send(Bytes, To))
                {
                    SendsLeft--;
                    Interlocked.Increment(ref Node.Counters._retries);
                    if (Stats != null) Stats.Messages++;
                    Arm();
                    return;
                }
                Interlocked.Increment(ref Node.Counters._rpcTimeouts);
                Answer.TrySetResult(null);
            }
        }

        /// <summary>
        /// Sends <paramref name="query"/> to <paramref name="to"/> and waits for its answer (a response or a KRPC error),
        /// sending it again after each <paramref name="timeout"/> up to <paramref name="attempts"/> sends in all; null
        /// when nothing came back (counted as a timeout) or the node stopped. Cancelling throws OperationCanceledException.
        /// Each send counts in <paramref name="stats"/>.Messages when given.
        /// </summary>
        async Task<KrpcMessage> QueryAsync(IPEndPoint to, KrpcMessage query, TimeSpan timeout, int attempts, CancellationToken cancellationToken, ChordLookupResult stats = null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pending = Register(to);
            if (pending == null) return null;
            query.TransactionId = new[] { (byte)(pending.Transaction >> 8), (byte)pending.Transaction };
            pending.Bytes = KrpcCodec.Encode(query);
            pending.SendsLeft = attempts - 1;
            pending.Timeout = timeout;
            pending.Stats = stats;
            // The node's own stopping ends every wait through AbandonPending; only a caller's token needs a registration.
            var registration = cancellationToken.CanBeCanceled && cancellationToken != Stopping
                ? cancellationToken.Register(state => ((TaskCompletionSource<KrpcMessage>)state).TrySetCanceled(), pending.Answer)
                : default;
            try
            {
                if (!Send(pending.Bytes, to)) return null;
                if (stats != null) stats.Messages++;
                pending.Arm();
                return await pending.Answer.Task.ConfigureAwait(Runtime.IsSimulated);
            }
            finally
            {
                registration.Dispose();
                pending.Timer?.Dispose();
                Unregister(pending);
            }
        }

        /// <summary>Waits up to <paramref name="timeout"/> more for an answer already registered; null on timeout.</summary>
        async Task<KrpcMessage> WaitAsync(PendingQuery pending, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (pending.Answer.Task.IsCompleted) return pending.Answer.Task.Result;
            var expired = new TaskCompletionSource<KrpcMessage>(Runtime.IsSimulated ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
            using (Runtime.Clock.Schedule(timeout, () => expired.TrySetResult(null)))
            using (cancellationToken.CanBeCanceled && cancellationToken != Stopping ? cancellationToken.Register(() => expired.TrySetCanceled()) : default(CancellationTokenRegistration))
            {
                var first = await Task.WhenAny(pending.Answer.Task, expired.Task).ConfigureAwait(Runtime.IsSimulated);
                cancellationToken.ThrowIfCancellationRequested();
                return first == pending.Answer.Task ? pending.Answer.Task.Result : null;
            }
        }

        PendingQuery Register(IPEndPoint to)
        {
            var pending = new PendingQuery
            {
                Node = this,
                To = to,
                Answer = new TaskCompletionSource<KrpcMessage>(Runtime.IsSimulated ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously),
            };
            lock (_gate)
            {
                if (_socket == null) return null;
                if (_pending == null) _pending = new PendingQuery[4];
                // A transaction id not in use: at most 65,535 queries in flight, far beyond any node's need.
                do pending.Transaction = unchecked(++_nextTransaction); while (FindPending(pending.Transaction) >= 0);
                if (_pendingCount == _pending.Length) Array.Resize(ref _pending, _pending.Length * 2);
                _pending[_pendingCount++] = pending;
            }
            return pending;
        }

        void Unregister(PendingQuery pending)
        {
            lock (_gate)
            {
                int i = _pending == null ? -1 : Array.IndexOf(_pending, pending, 0, _pendingCount);
                if (i < 0) return;
                _pending[i] = _pending[--_pendingCount];
                _pending[_pendingCount] = null;
                if (_pendingCount == 0 && _pending.Length > 16) _pending = null; // a burst is over: give the room back
            }
        }

        int FindPending(ushort transaction)
        {
            for (int i = 0; i < _pendingCount; i++) if (_pending[i].Transaction == transaction) return i;
            return -1;
        }

        /// <summary>Ends every wait (the node stops): the waiters see no answer.</summary>
        void AbandonPending()
        {
            PendingQuery[] pending;
            lock (_gate)
            {
                pending = _pending;
                _pending = null;
                _pendingCount = 0;
            }
            if (pending == null) return;
            foreach (var p in pending) p?.Answer.TrySetResult(null);
        }

        bool Send(byte[] bytes, IPEndPoint to)
        {
            var socket = _socket;
            if (socket == null) return false;
            try
            {
                socket.Send(bytes, 0, bytes.Length, to);
            }
            catch (ObjectDisposedException) { return false; }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                // Live sends can fail (no route, a closed port's ICMP echoed back); UDP loses datagrams anyway.
                return false;
            }
            Interlocked.Increment(ref Counters._datagramsOut);
            Interlocked.Add(ref Counters._bytesOut, bytes.Length);
            return true;
        }

        void Reply(KrpcMessage message, IPEndPoint to) => Send(KrpcCodec.Encode(message), to);

        void ReplyError(byte[] transactionId, int code, string text, IPEndPoint to)
        {
            Counters.CountErrorSent(code);
            Reply(KrpcMessage.Error(transactionId, code, text), to);
        }

        // One datagram arrived (on the simulation's loop, or live on the socket's receive loop).
        void OnDatagram(IDatagramSocket socket, IPEndPoint from, ArraySegment<byte> payload)
        {
            Interlocked.Increment(ref Counters._datagramsIn);
            Interlocked.Add(ref Counters._bytesIn, payload.Count);
            try
            {
                var status = KrpcCodec.Decode(payload.Array, payload.Offset, payload.Count, out var message, out string problem);
                switch (status)
                {
                    case KrpcDecodeStatus.Dropped:
                        Interlocked.Increment(ref Counters._malformedDropped);
                        if (HasEventObservers) Emit(PeerEventTypes.MalformedMessage, from.ToString(), "dropped a datagram: " + problem, D("Reason", problem));
                        return;
                    case KrpcDecodeStatus.Malformed:
                        if (!Admit(from)) return;
                        if (HasEventObservers) Emit(PeerEventTypes.MalformedMessage, from.ToString(), "malformed query: " + problem, D("Reason", problem));
                        ReplyError(message.TransactionId, KrpcErrorCode.Protocol, problem, from);
                        return;
                    case KrpcDecodeStatus.UnknownMethod:
                        if (!Admit(from)) return;
                        ReplyError(message.TransactionId, KrpcErrorCode.UnknownMethod, problem, from);
                        return;
                }
                if (message.Kind == KrpcKind.Query)
                {
                    if (!Admit(from)) return;
                    Interlocked.Increment(ref Counters._queriesIn);
                    HandleQuery(message, from);
                    return;
                }
                if (message.Kind == KrpcKind.Error) Interlocked.Increment(ref Counters._errorsIn);
                else Interlocked.Increment(ref Counters._responsesIn);
                MatchAnswer(message, from);
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                // Nothing a peer sends may take the node down: count it as malformed and go on.
                Interlocked.Increment(ref Counters._malformedDropped);
                if (HasEventObservers) Emit(PeerEventTypes.MalformedMessage, from.ToString(), "a datagram failed: " + e.Message, D("Reason", e.GetType().Name));
            }
        }

        void MatchAnswer(KrpcMessage message, IPEndPoint from)
        {
            var t = message.TransactionId;
            TaskCompletionSource<KrpcMessage> answer = null;
            if (t.Length == 2)
            {
                ushort transaction = (ushort)(t[0] << 8 | t[1]);
                lock (_gate)
                {
                    int i = _pending == null ? -1 : FindPending(transaction);
                    // Only from where we sent it: a matching id from elsewhere is a guess or a spoof.
                    if (i >= 0 && SameEndPoint(_pending[i].To, from)) answer = _pending[i].Answer;
                }
            }
            if (answer == null || !answer.TrySetResult(message)) Interlocked.Increment(ref Counters._unmatchedResponses);
        }

        static bool SameEndPoint(IPEndPoint a, IPEndPoint b)
        {
            if (a.Port != b.Port) return false;
            var x = a.Address.IsIPv4MappedToIPv6 ? a.Address.MapToIPv4() : a.Address;
            var y = b.Address.IsIPv4MappedToIPv6 ? b.Address.MapToIPv4() : b.Address;
            return x.Equals(y);
        }
    }
}
