namespace PSPeer.Engine.Runtime
{
    /// <summary>
    /// A stream whose Write and WriteAsync have copied the bytes they were given by the time they return, whether or not
    /// the returned task has completed (the simulated stream: a write is copied into segments in flight, and its task
    /// only models the time the bytes take to leave). A writer may then lay out what it sends in a buffer it reuses.
    /// </summary>
    /// <remarks>
    /// A stream in general may read the buffer until the write's task completes (a socket whose send buffer is full),
    /// so without this a buffer handed to a write is the stream's until then.
    /// </remarks>
    interface ICopyingWriteStream
    {
    }
}
