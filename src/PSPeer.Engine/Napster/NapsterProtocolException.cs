using System;

namespace PSPeer.Engine.Napster
{
    /// <summary>
    /// The other end broke the Napster protocol (oversized frame, truncated frame, unparseable payload). The node
    /// that catches it closes that one connection with a MalformedMessage event and keeps serving everyone else.
    /// </summary>
    public sealed class NapsterProtocolException : Exception
    {
        public NapsterProtocolException(string reason) : base(reason) { }
    }
}
