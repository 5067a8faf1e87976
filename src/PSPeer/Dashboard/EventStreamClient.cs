using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Dashboard
{
    /// <summary>
    /// One page's server-sent event stream (text/event-stream). Messages wait in a bounded queue of their own, so a
    /// page that reads slowly (a background tab, a stalled browser) loses messages, counted, instead of holding up
    /// the dashboard or the other pages. A comment line every few seconds keeps the connection and notices a gone page.
    /// </summary>
    internal sealed class EventStreamClient
    {
        const int MaxPending = 256;
        static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);
        static readonly byte[] HeartbeatBytes = Encoding.ASCII.GetBytes(":\n\n");

        readonly Stream _stream;
        readonly Queue<byte[]> _pending = new Queue<byte[]>();
        readonly SemaphoreSlim _signal = new SemaphoreSlim(0);
        readonly CancellationTokenSource _closed = new CancellationTokenSource();
        long _dropped;

        public EventStreamClient(Stream stream) => _stream = stream;

        /// <summary>Messages dropped for this page because it read too slowly.</summary>
        public long Dropped => Interlocked.Read(ref _dropped);

        public bool IsClosed => _closed.IsCancellationRequested;

        /// <summary>Queues one message; never waits.</summary>
        public void Send(string eventName, string data)
        {
            if (IsClosed) return;
            // data is one line of JSON (JSON escapes line breaks), so it is one "data:" field.
            var bytes = Encoding.UTF8.GetBytes("event: " + eventName + "\ndata: " + data + "\n\n");
            lock (_pending)
            {
                if (_pending.Count >= MaxPending) { Interlocked.Increment(ref _dropped); return; }
                _pending.Enqueue(bytes);
            }
            _signal.Release();
        }

        public void Close()
        {
            try { _closed.Cancel(); } catch (ObjectDisposedException) { }
        }

        /// <summary>Writes queued messages until the page goes away, <see cref="Close"/>, or <paramref name="cancellationToken"/>.</summary>
        public async Task RunAsync(CancellationToken cancellationToken)
        {
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token))
            {
                var token = linked.Token;
                var reading = WatchForCloseAsync(token);
                try
                {
                    while (!token.IsCancellationRequested)
                    {
                        bool signalled = await _signal.WaitAsync(Heartbeat, token).ConfigureAwait(false);
                        if (!signalled)
                        {
                            await _stream.WriteAsync(HeartbeatBytes, 0, HeartbeatBytes.Length, token).ConfigureAwait(false);
                            await _stream.FlushAsync(token).ConfigureAwait(false);
                            continue;
                        }
                        byte[] next;
                        lock (_pending) next = _pending.Count > 0 ? _pending.Dequeue() : null;
                        if (next == null) continue;
                        await _stream.WriteAsync(next, 0, next.Length, token).ConfigureAwait(false);
                        bool more;
                        lock (_pending) more = _pending.Count > 0;
                        if (!more) await _stream.FlushAsync(token).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is IOException || e is OperationCanceledException || e is ObjectDisposedException) { }
                finally
                {
                    Close();
                    try { await reading.ConfigureAwait(false); } catch (Exception) { }
                }
            }
        }

        // The page never sends after its request: a read that ends means it has gone (a closed tab).
        async Task WatchForCloseAsync(CancellationToken token)
        {
            var buffer = new byte[256];
            try
            {
                while (!token.IsCancellationRequested)
                    if (await _stream.ReadAsync(buffer, 0, buffer.Length, token).ConfigureAwait(false) <= 0) break;
            }
            catch (Exception) { }
            Close();
        }
    }
}
