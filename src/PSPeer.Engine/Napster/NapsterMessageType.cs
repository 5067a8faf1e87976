namespace PSPeer.Engine.Napster
{
    /// <summary>
    /// Message types on the Napster client-server wire. Each frame is a 2-byte little-endian payload length, a
    /// 2-byte little-endian type and the payload, UTF-8 text of space-separated fields with file names and client
    /// ids in double quotes (see <see cref="NapsterFrameReader"/>).
    /// </summary>
    /// <remarks>
    /// The numbers and payload layouts follow the OpenNap protocol notes ("napster messages", drscholl). Where PSPeer
    /// extends them, and why:
    /// <list type="bullet">
    /// <item>ShareFile (100): the md5 field carries the content hash as "urn:sha1:BASE32" text, and a trailing field
    /// gives the file's index on its peer, because PSPeer peers serve files over HTTP at /get/&lt;index&gt;/&lt;name&gt;.</item>
    /// <item>SearchResult (201): after OpenNap's link-type field come two trailing fields, the sharing peer's HTTP
    /// data port (from its login) and the file index, since OpenNap clients never downloaded over HTTP. The ip field
    /// is OpenNap's 32-bit integer for IPv4 addresses; any other address (a simulated host) is written as text.</item>
    /// <item>Logout (30000): OpenNap has no logout message (a client just closes the connection). PSPeer defines
    /// one so that a peer leaving on purpose is told apart from one whose connection dropped; closing the
    /// connection still logs a peer out.</item>
    /// </list>
    /// </remarks>
    public enum NapsterMessageType : ushort
    {
        /// <summary>Server to client: an error, usually followed by the server closing the connection.</summary>
        Error = 0,
        /// <summary>Client: nick password port "client-info" link-speed.</summary>
        Login = 2,
        /// <summary>Server: login accepted; payload is the account's e-mail (PSPeer sends "anon@pspeer").</summary>
        LoginAck = 3,
        /// <summary>Client: "name" hash size bitrate frequency length [file-index].</summary>
        ShareFile = 100,
        /// <summary>Client: "name" — stop sharing one file.</summary>
        UnshareFile = 102,
        /// <summary>Client: FILENAME CONTAINS "keywords" MAX_RESULTS n [other clauses].</summary>
        Search = 200,
        /// <summary>Server: "name" hash size bitrate frequency length nick ip link-speed [data-port file-index].</summary>
        SearchResult = 201,
        /// <summary>Server: no more results for the oldest unanswered search (empty payload).</summary>
        SearchEnd = 202,
        /// <summary>Server: a message for the user that does not end the session (unsupported command, limits).</summary>
        ServerMessage = 404,
        /// <summary>PSPeer extension: the client leaves on purpose (empty payload).</summary>
        Logout = 30000,
    }
}
