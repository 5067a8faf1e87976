using System;
using System.Threading.Tasks;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>Runs a link's read loop on its own and hands back how it ended (a servent would get it in OnLinkEnded).</summary>
    static class LinkRuns
    {
        public static Task<LinkEnd> RunToEndAsync(this GnutellaLink link, Action<GnutellaLink, GnutellaMessage> onMessage)
        {
            var ended = new TaskCompletionSource<LinkEnd>();
            _ = link.RunAsync(onMessage, (l, end) => { ended.TrySetResult(end); return Task.CompletedTask; });
            return ended.Task;
        }
    }
}
