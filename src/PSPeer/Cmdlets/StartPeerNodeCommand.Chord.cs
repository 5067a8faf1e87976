using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Chord.Sharing;
using PSPeer.Engine.Core;

namespace PSPeer
{
    // Chord: a ring member (Peer, with -VirtualNodes r: r nodes on their own ports) or a Client behind a NAT; each node
    // starts a one-node ring or joins through -Bootstrap, and gets file sharing over the ring beside it.
    public sealed partial class StartPeerNodeCommand
    {
        void StartChord(Guid session, NodeRequest request)
        {
            var role = ChosenRole;
            var bootstrap = ResolveBootstrap(request.Bootstrap);
            if (role == PeerRole.Client && bootstrap.Count == 0)
            {
                NodeRegistry.ReleaseName(session, request.Name);
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.ChordBootstrapRequired, ErrorCategory.InvalidArgument, null,
                    "A Chord Client is no member of a ring: it looks keys up and stores them through a ring member, and none was given.",
                    "Pass -Bootstrap with a Chord Peer (a PeerNode, its name, or host:port)."));
            }
            int count = role == PeerRole.Client ? 1 : VirtualNodes;
            var names = new List<string> { request.Name };
            for (int v = 2; v <= count; v++)
            {
                string name = request.Name + "." + v;
                if (!NodeRegistry.TryReserveName(session, name))
                {
                    foreach (var n in names) NodeRegistry.ReleaseName(session, n);
                    ThrowTerminatingError(Errors.Make(CmdletErrorIds.PeerNodeNameInUse, ErrorCategory.ResourceExists, name,
                        $"Virtual node {v} would be named '{name}', and a node of that name is already running in this session.",
                        "Choose another -Name, or Stop-PeerNode it first."));
                }
                names.Add(name);
            }

            var started = new List<PeerNode>();
            try
            {
                var runtime = LiveRuntimes.For(Address, ExternalAddress);
                for (int v = 0; v < count; v++)
                {
                    var one = new NodeRequest
                    {
                        Protocol = PeerProtocol.Chord, Role = role, Name = names[v],
                        Port = Port == 0 ? 0 : Port + v,
                        Chord = new ChordOptions(),
                    };
                    var chord = (ChordNode)NodeFactory.Create(runtime, one);
                    if (ConnectionLimit != null) chord.Limits = ConnectionLimit;
                    WriteVerbose($"Starting Chord {role} '{one.Name}'" + (bootstrap.Count > 0 ? $", joining through {string.Join(", ", bootstrap)}." : " as a new ring."));
                    // Virtual nodes after the first join through the first, so one host's nodes form one ring even without -Bootstrap.
                    var through = v == 0 ? bootstrap : new List<IPEndPoint> { started[0].Engine is ChordNode first ? first.Self.EndPoint : null };
                    var sharing = new ChordFileSharing(chord, v == 0 ? request.SharedPath : null);
                    var node = new PeerNode(chord, new NodeFacet(sharing, sharing.Events, sharing.StopAsync));
                    var run = _pump.Run(ct => StartAndJoinAsync(chord, sharing, through, ct));
                    if (_pump.IsStopping)
                    {
                        // Ctrl+C during start: whatever came up goes down again, nothing more is registered.
                        _ = node.StopAsync();
                        break;
                    }
                    try { run.GetAwaiter().GetResult(); }
                    catch
                    {
                        try { node.StopAsync().Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { /* the start failure is the news */ }
                        throw;
                    }
                    NodeRegistry.Add(session, node);
                    started.Add(node);
                }
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                foreach (var n in names.Skip(started.Count)) NodeRegistry.ReleaseName(session, n);
                foreach (var n in started) { NodeRegistry.Remove(session, n); _ = n.StopAsync(); }
                ThrowTerminatingError(Errors.FromException(ex, CmdletErrorIds.PeerNodeFailed, names[started.Count < names.Count ? started.Count : 0]));
            }
            finally
            {
                if (_pump.IsStopping) foreach (var n in names.Skip(started.Count)) NodeRegistry.ReleaseName(session, n);
            }
            foreach (var node in started) WriteObject(node);
        }

        /// <summary>Joins the ring through the first bootstrap that answers (JoinAsync starts the node), or starts a one-node ring without any; then shares its folder.</summary>
        static async Task StartAndJoinAsync(ChordNode chord, ChordFileSharing sharing, IReadOnlyList<IPEndPoint> bootstrap, CancellationToken ct)
        {
            if (bootstrap.Count == 0) await chord.StartAsync(ct);
            else
            {
                Exception last = null;
                foreach (var through in bootstrap)
                {
                    try
                    {
                        await chord.JoinAsync(through, ct);
                        last = null;
                        break;
                    }
                    catch (Exception ex) when (!(ex is OperationCanceledException) || !ct.IsCancellationRequested)
                    {
                        last = ex;
                    }
                }
                if (last != null)
                    throw last is PeerException ? last
                        : new PeerException(PeerErrorIds.ChordJoinFailed, $"Chord node '{chord.Name}' could not join the ring through {string.Join(", ", bootstrap)}: {last.Message}", last);
            }
            await sharing.StartAsync(ct);
        }

        /// <summary>-Bootstrap as IPv4 endpoints (names resolved here, in the cmdlet layer; the ring's wire carries IPv4 only).</summary>
        List<IPEndPoint> ResolveBootstrap(HostPort[] given)
        {
            var endPoints = new List<IPEndPoint>();
            foreach (var hp in given ?? new HostPort[0])
            {
                if (Addresses.TryParseLiteral(hp.Host, out var ip))
                {
                    endPoints.Add(new IPEndPoint(ip, hp.Port));
                    continue;
                }
                try
                {
                    var v4 = Dns.GetHostAddresses(hp.Host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
                    if (v4 != null) endPoints.Add(new IPEndPoint(v4, hp.Port));
                    else WriteWarning($"-Bootstrap {hp}: '{hp.Host}' has no IPv4 address, which the Chord wire needs; skipped.");
                }
                catch (SocketException ex)
                {
                    WriteWarning($"-Bootstrap {hp}: cannot resolve '{hp.Host}' ({ex.Message}); skipped.");
                }
            }
            return endPoints;
        }
    }
}
