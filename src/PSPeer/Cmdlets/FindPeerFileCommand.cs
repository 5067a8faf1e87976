using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Networks;

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
        readonly SimulationPump _simulation = new SimulationPump();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        public string Query { get; set; }

        /// <summary>The node to search through (a PeerNode, also from the pipeline). Default: the session's most recent node that can search.</summary>
        [Parameter(ValueFromPipeline = true)]
        [Alias("Node")]
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

        /// <summary>Hops the search may travel where the protocol floods (Gnutella; ParameterNotApplicable elsewhere).</summary>
        [Parameter]
        [ValidateRange(1, 255)]
        public int Ttl { get; set; }

        protected override void ProcessRecord()
        {
            var node = Via ?? NodeRegistry.MostRecent(NodeRegistry.CurrentSession, n => n.CanSearch && n.State == NodeState.Running);
            var searcher = NodeSelection.Require<ISearchNode>(this, node, "No node of this session can search.",
                "Start-PeerNode -Protocol Napster -IndexServer <server>", CmdletErrorIds.NodeCannotSearch, "cannot search", nameof(Via));
            // A TTL means something only where queries flood; through an index server it would be silently ignored.
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Ttl)) && node.Protocol != nameof(PeerProtocol.Gnutella))
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.ParameterNotApplicable, ErrorCategory.InvalidArgument, Ttl,
                    $"-Ttl applies to searches through a Gnutella node, not through the {node.Protocol} {node.Role} '{node.Name}'.",
                    "Leave out -Ttl, or search -Via a Gnutella node."));

            var options = new SearchOptions
            {
                MaxResults = First > 0 ? First : DefaultMaxResults,
                Timeout = TimeSpan.FromSeconds(Timeout),
                Ttl = MyInvocation.BoundParameters.ContainsKey(nameof(Ttl)) ? Ttl : (int?)null,
            };
            int written = 0;
            var network = NetworkRegistry.Find(node);
            // A node of a network that records searches searches through it, so Measure-PeerNetwork counts the search.
            var searchable = network?.Engine as ISearchableNetwork;
            if (network != null && network.Simulated && searchable != null)
            {
                SearchSimulated(network, searchable, node, options);
                return;
            }
            // A node of a live network searches through its network, which records the search for Measure-PeerNetwork.
            Func<Action<SearchHit>, CancellationToken, Task> search = searchable == null
                ? (Func<Action<SearchHit>, CancellationToken, Task>)((onHit, ct) => searcher.SearchAsync(Query, options, onHit, ct))
                : (onHit, ct) => searchable.SearchAsync(node.Engine, Query, options, onHit, ct);
            WriteVerbose($"Searching for '{Query}' through {node.Name} (timeout {Timeout} s).");
            // Reaching -First ends this query's search only; the next piped query still runs.
            // The engine ends the search at -Timeout; the extra grace only guards against an engine that never returns.
            using (var enough = new CancellationTokenSource(TimeSpan.FromSeconds(Timeout) + EngineGrace))
            try
            {
                // The engine calls onHit on its own threads; the pump runs the write on this (the pipeline) thread.
                var task = _pump.Run(ct => search(hit => _pump.Post(() =>
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
            WriteVerbose($"'{Query}': {Plural.Of(written, "hit")}.");
        }

        /// <summary>
        /// A node of a simulated network: the search runs virtual time forward (up to -Timeout of it, plus the time
        /// its last hits take to come back) on this thread, and hits are written between slices of the simulation.
        /// </summary>
        void SearchSimulated(PeerNetwork network, ISearchableNetwork searchable, PeerNode node, SearchOptions options)
        {
            int written = 0;
            WriteVerbose($"Searching for '{Query}' through {node.Name} of simulated network {network.Name} (timeout {Timeout} s of virtual time).");
            try
            {
                var task = _simulation.Run(network.Engine, ct => searchable.SearchAsync(node.Engine, Query, options, hit => _simulation.Post(() =>
                {
                    if (written >= options.MaxResults) return;
                    written++;
                    WriteObject(new PeerSearchHit(hit, node));
                }), ct), options.Timeout + EngineGrace, () => written >= options.MaxResults);
                if (task.IsFaulted) task.GetAwaiter().GetResult();
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException) && !(ex is OperationCanceledException))
            {
                WriteError(Errors.FromException(ex, CmdletErrorIds.PeerSearchFailed, Query));
            }
            WriteVerbose($"'{Query}': {Plural.Of(written, "hit")} at {network.Elapsed} of virtual time.");
        }

        protected override void StopProcessing()
        {
            _pump.Cancel();
            _simulation.Cancel();
        }
    }
}
