using System;
using System.Net;
using System.Threading;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Gnutella
{
    /// <remarks>
    /// Whether peers can reach us. A servent cannot see a NAT or a firewall in front of it; what it can see is a peer
    /// from outside connecting in. So (gtk-gnutella's rule) with <see cref="GnutellaOptions.DetectFirewall"/> it counts
    /// itself firewalled — QueryHits carry the push flag, downloads from it come by Push + GIV — until such a
    /// connection arrives. Loopback and our own address prove nothing: a process on this machine always gets in.
    /// The user may also say so (<see cref="GnutellaOptions.Firewalled"/>). With
    /// <see cref="GnutellaOptions.ReachabilityCheckAfter"/>, a servent nobody reached says so once, so a wrong
    /// -ExternalAddress or a missing port forward shows up as an event rather than as searches that never download.
    /// </remarks>
    public sealed partial class GnutellaServent
    {
        int _reachedFromOutside;
        IDisposable _reachabilityCheck;

        /// <summary>Whether this servent answers as firewalled now: told so, or detecting and not yet reached from outside.</summary>
        public bool IsFirewalled => Options.Firewalled || (Options.DetectFirewall && !ReachedFromOutside);

        /// <summary>Whether a peer from outside (neither loopback nor this host) has connected in since the start.</summary>
        public bool ReachedFromOutside => Volatile.Read(ref _reachedFromOutside) != 0;

        /// <summary>Called for every incoming connection that sent its first bytes.</summary>
        void NoteIncoming(IConnection connection)
        {
            // Once reached, the endpoint is not even read (a simulated end would make its string for nothing).
            if (Volatile.Read(ref _reachedFromOutside) != 0) return;
            string remoteEndPoint = connection.RemoteEndPoint;
            if (IsLocal(remoteEndPoint)) return;
            if (Interlocked.Exchange(ref _reachedFromOutside, 1) != 0) return;
            bool was = Options.DetectFirewall && !Options.Firewalled;
            Emit(PeerEventTypes.ReachedFromOutside, remoteEndPoint,
                was ? $"reached from outside by {remoteEndPoint}: no longer firewalled" : $"reached from outside by {remoteEndPoint}",
                D("From", remoteEndPoint), D("Firewalled", IsFirewalled));
        }

        bool IsLocal(string endPoint)
        {
            if (!HostPort.TryParse(endPoint, out var remote) || !IPAddress.TryParse(remote.Host.Trim('[', ']'), out var address)) return true;
            if (IPAddress.IsLoopback(address)) return true;
            return remote.Host == Runtime.HostAddress || (_listenEndPoint != null && remote.Host == _listenEndPoint.Host);
        }

        void StartReachabilityCheck()
        {
            var after = Options.ReachabilityCheckAfter;
            if (after == null) return;
            _reachabilityCheck = ScheduleReachabilityCheck(after.Value);
        }

        // Apart from StartReachabilityCheck, whose every call made this closure where its scope began, though most
        // servents (all of a simulated network's) have no check to schedule.
        IDisposable ScheduleReachabilityCheck(TimeSpan after)
        {
            return Runtime.Clock.Schedule(after, () =>
            {
                if (ReachedFromOutside || Stopping.IsCancellationRequested) return;
                string advertised = _listenEndPoint?.ToString() ?? EndPoint;
                Emit(PeerEventTypes.NotReachedFromOutside, advertised,
                    $"no peer from outside connected to {advertised} within {after.TotalSeconds:0.#} s: peers cannot reach this node there. " +
                    "Check -ExternalAddress, the port forward on the NAT and the firewall" + (IsFirewalled ? "; it answers as firewalled (push) meanwhile." : "."),
                    D("Advertised", advertised), D("Waited", after), D("Firewalled", IsFirewalled));
            });
        }
    }
}
