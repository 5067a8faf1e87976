using PSPeer.Engine.Runtime.Live;

namespace PSPeer
{
    /// <summary>The live runtime a cmdlet's node runs on, from its -Address and -ExternalAddress.</summary>
    internal static class LiveRuntimes
    {
        /// <summary>
        /// The shared loopback runtime when neither is given; otherwise one bound to <paramref name="address"/> (default
        /// 127.0.0.1) that tells peers <paramref name="externalAddress"/>. Throws PeerException AddressNotAvailable for
        /// text that is not an IP address; an address this host does not have fails the same way when the node binds it.
        /// </summary>
        public static LiveRuntime For(string address, string externalAddress) =>
            address == null && externalAddress == null ? LiveRuntime.Loopback : new LiveRuntime(address ?? "127.0.0.1", externalAddress);
    }
}
