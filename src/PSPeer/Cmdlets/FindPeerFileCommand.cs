using System;
using System.Management.Automation;
using System.Threading;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>Searches the network through a node; hits enter the pipeline as they arrive.</summary>
    [Cmdlet(VerbsCommon.Find, "PeerFile")]
    [OutputType(typeof(PeerSearchHit))]
    public sealed class FindPeerFileCommand : PSCmdlet
    {
        // Without -First, a search still stops somewhere: more hits than this are noise, not results.
        const int DefaultMaxResults = 1000;
        static readonly TimeSpan EngineGrace = TimeSpan.FromSeconds(10);
        readonly PipelinePump _pump = new PipelinePump();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        public string Query { get; set; }

        /// <summary>Default: the session's most recent node that can search.</summary>
        [Parameter]
        [ValidateNotNull]
        public PeerNode Via { get; set; }

        /// <summary>Seconds to wait for hits.</summary>
        [Parameter]
        [ValidateRange(0.001, 86400)]
        public double Timeout { get; set; } = 5;

        /// <summary>Stop after this many hits.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int First { get; set; }

        /// <summary>Hops the search may travel where the protocol floods (Napster ignores it).</summary>
        [Parameter]
        [ValidateRange(1, 255)]
        public int Ttl { get; set; }

        protected override void ProcessRecord()
        {
            var node = Via ?? NodeRegistry.MostRecent(NodeRegistry.CurrentSession, n => n.CanSearch && n.State == NodeState.Running);
            var searcher = NodeSelection.Require<ISearchNode>(this, node, "No node of this session can search.",
                "Start-PeerNode -Protocol Napster -IndexServer <server>", CmdletErrorIds.NodeCannotSearch, "cannot search", nameof(Via));

            var options = new SearchOptions
            {
                MaxResults = First > 0 ? First : DefaultMaxResults,
                Timeout = TimeSpan.FromSeconds(Timeout),
                Ttl = MyInvocation.BoundParameters.ContainsKey(nameof(Ttl)) ? Ttl : (int?)null,
            };
            int written = 0;
            WriteVerbose($"Searching for '{Query}' through {node.Name} (timeout {Timeout} s).");
            // Reaching -First ends this query's search only; the next piped query still runs.
            // The engine ends the search at -Timeout; the extra grace only guards against an engine that never returns.
            using (var enough = new CancellationTokenSource(TimeSpan.FromSeconds(Timeout) + EngineGrace))
            try
            {
                // The engine calls onHit on its own threads; the pump runs the write on this (the pipeline) thread.
                var task = _pump.Run(ct => searcher.SearchAsync(Query, options, hit => _pump.Post(() =>
                {
                    if (written >= options.MaxResults) return;
                    written++;
                    WriteObject(new PeerSearchHit(hit, node));
                    if (written >= options.MaxResults) enough.Cancel();
                }), ct), enough.Token);
                if (_pump.IsStopping) return;
                task.GetAwaiter().GetResult();
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException) && !(ex is OperationCanceledException && (_pump.IsStopping || enough.IsCancellationRequested)))
            {
                WriteError(Errors.FromException(ex, CmdletErrorIds.PeerSearchFailed, Query));
            }
            WriteVerbose($"'{Query}': {written} hit(s).");
        }

        protected override void StopProcessing() => _pump.Cancel();
    }
}
