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
        /// Waits, reading nothing, until bytes can be read (returns how many) or the stream has ended (returns 0), so
        /// that a quiet reader need not hold a buffer. Fails as a read would.
        /// </summary>
        ValueTask<int> WaitToReadAsync(CancellationToken cancellationToken = default);
    }
}
