using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>
    /// Brings nodes' event streams into the pipeline as events happen, until -Count events, -Timeout seconds,
    /// Ctrl+C, or every watched node has stopped.
    /// </summary>
    [Cmdlet(VerbsCommon.Watch, "PeerEvent")]
    [OutputType(typeof(PeerEvent))]
    public sealed class WatchPeerEventCommand : PSCmdlet
    {
        readonly PipelinePump _pump = new PipelinePump();
        readonly List<PeerNode> _nodes = new List<PeerNode>();
        readonly List<PeerNetwork> _networks = new List<PeerNetwork>();
        readonly SimulationPump _simulation = new SimulationPump();
        // Without -Timeout, a watched simulation runs at most this much virtual time (it never runs out of work by itself).
        static readonly TimeSpan DefaultSimulatedWatch = TimeSpan.FromHours(1);

        /// <summary>Default: every node of the session.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PeerNode[] Node { get; set; }

        /// <summary>Event types to keep (wildcards allowed); default all.</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(PeerEventTypeCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Type { get; set; }

        /// <summary>Networks whose nodes' streams are merged (New-PeerNetwork); a simulated one runs forward while watched.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public PeerNetwork[] Network { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Count { get; set; }

        /// <summary>Seconds to watch.</summary>
        [Parameter]
        [ValidateRange(0.001, 86400 * 365)]
        public double Timeout { get; set; }

        // A -Type no node emits would watch in silence until the timeout: refuse it before anything is watched.
        protected override void BeginProcessing()
        {
            if (Type == null) return;
            foreach (string type in Type)
            {
                if (PeerEventTypeNames.Matches(type)) continue;
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.PeerEventTypeUnknown, ErrorCategory.InvalidArgument, type,
                    $"No node emits events of type '{type}'. The types are: {string.Join(", ", PeerEventTypes.All)}.",
                    "Pass one of these types, or a wildcard such as Download*; Tab completes them."));
            }
        }

        // Nodes arrive one pipeline record at a time; watching starts once all of them are known.
        protected override void ProcessRecord()
        {
            if (Node != null)
                foreach (var node in Node)
                    if (!_nodes.Contains(node)) _nodes.Add(node);
            if (Network != null)
                foreach (var network in Network)
                    if (!_networks.Contains(network)) _networks.Add(network);
        }

        protected override void EndProcessing()
        {
            bool chosen = _nodes.Count > 0 || _networks.Count > 0 || MyInvocation.BoundParameters.ContainsKey(nameof(Node));
            var nodes = chosen ? _nodes.Concat(_networks.SelectMany(n => n.Nodes)).Distinct().ToList() : NodeRegistry.GetNodes().ToList();
            // Nodes of a simulated network only act while its virtual time runs: this cmdlet runs it.
            var simulated = _networks.Concat(_nodes.Select(NetworkRegistry.Find)).Where(n => n != null && n.Simulated).Distinct().ToList();
            if (simulated.Count > 1)
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.PeerNetworkNotSimulated, ErrorCategory.InvalidArgument, null,
                    "Watch-PeerEvent runs one simulated network at a time.", "Watch the networks one after the other."));
            if (nodes.Count == 0)
            {
                WriteVerbose("No nodes to watch.");
                return;
            }
            var patterns = Type?.Select(t => WildcardPattern.Get(t, WildcardOptions.IgnoreCase)).ToArray();
            int written = 0;
            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            int running = nodes.Count;
            var subscriptions = new List<IDisposable>();
            try
            {
                foreach (var node in nodes)
                {
                    subscriptions.Add(node.Events.Subscribe(
                        e =>
                        {
                            if (patterns != null && !patterns.Any(p => p.IsMatch(e.Type))) return;
                            Action<Action> post = simulated.Count > 0 ? (Action<Action>)_simulation.Post : _pump.Post;
                            post(() =>
                            {
                                if (Count > 0 && written >= Count) return;
                                written++;
                                WriteObject(e);
                                if (Count > 0 && written >= Count) done.TrySetResult(true);
                            });
                        },
                        error => { if (Interlocked.Decrement(ref running) == 0) done.TrySetResult(true); },
                        () => { if (Interlocked.Decrement(ref running) == 0) done.TrySetResult(true); }));
                }
                // A node that already stopped completes at once for a new subscriber (its subject has completed).
                if (simulated.Count > 0)
                {
                    var limit = Timeout > 0 ? TimeSpan.FromSeconds(Timeout) : DefaultSimulatedWatch;
                    _simulation.Run(simulated[0].Engine, ct => done.Task, limit, () => done.Task.IsCompleted);
                    return;
                }
                using (var timeout = Timeout > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(Timeout)) : new CancellationTokenSource())
                {
                    _pump.Run(async ct =>
                    {
                        using (ct.Register(() => done.TrySetResult(false))) await done.Task;
                    }, timeout.Token);
                }
            }
            finally
            {
                foreach (var s in subscriptions) s.Dispose();
            }
        }

        protected override void StopProcessing()
        {
            _pump.Cancel();
            _simulation.Cancel();
        }
    }
}
