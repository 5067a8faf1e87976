using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Runtime.Admission
{
    /// <summary>The hook protocol code calls on an accepted connection; harmless on any other connection.</summary>
    public static class ConnectionAdmission
    {
        /// <summary>
        /// Says the connection is past its login, handshake or first request: the <see cref="AdmissionGate"/> stops its
        /// pre-handshake deadline and no longer evicts it to make room. A no-op on connections the gate did not admit
        /// (outgoing ones, those in tests).
        /// </summary>
        public static void MarkEstablished(this IConnection connection) => (connection as AdmittedConnection)?.MarkEstablished();

        /// <summary>
        /// Says the connection is established (as <see cref="MarkEstablished"/>) and is now kept by an owner for its
        /// whole life, and returns what that owner should keep: the connection under the gate's wrapper when it can hold
        /// its own place in the gate's counts (a simulated end), otherwise the connection given. Disposing what is
        /// returned closes the connection and gives its place back, as disposing the wrapper did.
        /// </summary>
        public static IConnection Settle(this IConnection connection) => connection is AdmittedConnection admitted ? admitted.Settle() : connection;

        /// <summary>Whether the connection was admitted and has not yet been marked established.</summary>
        public static bool IsBeforeHandshake(this IConnection connection) =>
            connection is AdmittedConnection admitted && !admitted.IsEstablished;
    }
}
