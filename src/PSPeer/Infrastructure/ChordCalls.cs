using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>
    /// How the key cmdlets (Set-, Get-, Find-PeerKey, Get-PeerRing) pick a Chord node and run work through it: a live
    /// node on the thread pool, writing from the pipeline thread (PipelinePump); a node of a simulated network by
    /// running the network's virtual time forward (SimulationPump), bounded by the same limit in virtual time.
    /// </summary>
    internal sealed class ChordCalls
    {
        readonly PipelinePump _pump = new PipelinePump();
        readonly SimulationPump _simulation = new SimulationPump();

        public bool IsStopping => _pump.IsStopping || _simulation.IsStopping;

        public void Cancel()
        {
            _pump.Cancel();
            _simulation.Cancel();
        }

        /// <summary>The given node, else the session's most recent running Chord node; ends the cmdlet with a clear error when there is none, or when it is no Chord node.</summary>
        public static ChordNode Require(PSCmdlet cmdlet, ref PeerNode node, string parameter)
        {
            node = node ?? NodeRegistry.MostRecent(NodeRegistry.CurrentSession, n => n.Engine is ChordNode && n.State == NodeState.Running);
            if (node == null)
                cmdlet.ThrowTerminatingError(Errors.Make(CmdletErrorIds.PeerNodeNotFound, ErrorCategory.ObjectNotFound, null,
                    "No Chord node is running in this session.", "Start one first: Start-PeerNode -Protocol Chord"));
            if (!(node.Engine is ChordNode chord))
            {
                cmdlet.ThrowTerminatingError(Errors.Make(CmdletErrorIds.NodeNotChord, ErrorCategory.InvalidArgument, node,
                    $"Node '{node.Name}' is a {node.Protocol} {node.Role}: keys live on Chord rings.",
                    $"Pass a Chord node as -{parameter} (Start-PeerNode -Protocol Chord, or a node of New-PeerNetwork -Protocol Chord)."));
                return null;
            }
            if (node.State != NodeState.Running)
                cmdlet.ThrowTerminatingError(Errors.Make(PeerErrorIds.NodeNotRunning, ErrorCategory.InvalidOperation, node,
                    $"Node '{node.Name}' is {node.State}: it cannot act any more.",
                    $"Pass a running node as -{parameter} (Get-PeerNode lists them), or start one: Start-PeerNode -Protocol Chord"));
            return chord;
        }

        /// <summary>
        /// Runs <paramref name="work"/> through <paramref name="node"/> and returns its result; default(T) when Ctrl+C
        /// stopped it. Engine failures are thrown (the caller turns them into error records).
        /// </summary>
        public T Run<T>(PeerNode node, Func<CancellationToken, Task<T>> work, TimeSpan limit)
        {
            var network = NetworkRegistry.Find(node);
            if (network != null && network.Simulated)
            {
                Task<T> started = null;
                var task = _simulation.Run(network.Engine, ct => started = work(ct), limit);
                if (!task.IsCompleted)
                {
                    if (_simulation.IsStopping) return default;
                    throw new TimeoutException($"No answer within {limit.TotalSeconds:0.#} s of virtual time.");
                }
                if (task.IsCanceled && _simulation.IsStopping) return default;
                return (started ?? (Task<T>)task).GetAwaiter().GetResult();
            }
            using (var enough = new CancellationTokenSource(limit))
            {
                Task<T> run;
                try
                {
                    run = _pump.Run(ct => work(ct), enough.Token);
                }
                catch (OperationCanceledException) when (enough.IsCancellationRequested && !_pump.IsStopping)
                {
                    throw new TimeoutException($"No answer within {limit.TotalSeconds:0.#} s.");
                }
                if (_pump.IsStopping) return default;
                try { return run.GetAwaiter().GetResult(); }
                catch (OperationCanceledException) when (enough.IsCancellationRequested && !_pump.IsStopping)
                {
                    throw new TimeoutException($"No answer within {limit.TotalSeconds:0.#} s.");
                }
            }
        }
    }
}
