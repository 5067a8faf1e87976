using System;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Runtime
{
    /// <summary>
    /// A stream that can read without allocating a task per read (the simulated stream: its pending read is the stream
    /// itself). A read loop that waits on many connections at once asks for it and falls back to Stream.ReadAsync.
    /// </summary>
    /// <remarks>
    /// One read at a time, and each returned ValueTask awaited (or turned into a task) exactly once, as ValueTask rules
    /// say. Closing the stream fails a pending read with IOException, so a loop needs no cancellation token to stop.
    /// </remarks>
    interface IValueReadStream
    {
        /// <summary>As Stream.ReadAsync: bytes read into <paramref name="buffer"/>, 0 at the end of the stream.</summary>
        ValueTask<int> ReadValueAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken = default);

        /// <summary>
        /// False when a read would complete at once (bytes, the end, or an error it reports); otherwise true, and
        /// <paramref name="onReady"/>(<paramref name="state"/>) is called once it would, in the context the caller
        /// waited in. Reads nothing: a quiet reader waits holding no buffer, no task and no frame.
        /// </summary>
        bool WaitToRead(Action<object> onReady, object state);
    }
}
