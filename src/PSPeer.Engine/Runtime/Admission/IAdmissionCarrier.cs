namespace PSPeer.Engine.Runtime.Admission
{
    /// <summary>
    /// A connection that can hold its own place in an <see cref="AdmissionGate"/>'s counts once it is past its
    /// handshake, so that the gate's <see cref="AdmittedConnection"/> wrapper need not stay with it for the rest of its
    /// life (a simulated network keeps hundreds of thousands of accepted ends, each a wrapper and an address string more).
    /// </summary>
    interface IAdmissionCarrier : IConnection
    {
        /// <summary>
        /// The remote address without the port: the key of the gate's per-address count. The same text every time it is
        /// asked (a simulated end answers with its peer host's own address string, making none).
        /// </summary>
        string RemoteAddress { get; }

        /// <summary>From now on, disposing this connection gives its place in <paramref name="gate"/> back, once.</summary>
        void CarryAdmission(AdmissionGate gate);
    }
}
