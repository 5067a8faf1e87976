using System.Globalization;

namespace PSPeer.Engine.Napster
{
    /// <summary>Login (2): nick password data-port "client-info" link-speed.</summary>
    public sealed class NapsterLogin
    {
        public const int MaxNickLength = 64;

        public NapsterLogin(string nick, string password, int dataPort, string clientInfo, int linkSpeed)
        {
            Nick = nick; Password = password; DataPort = dataPort; ClientInfo = clientInfo; LinkSpeed = linkSpeed;
        }

        public string Nick { get; }
        public string Password { get; }
        /// <summary>The port where this client serves files (its HTTP server for a PSPeer peer).</summary>
        public int DataPort { get; }
        public string ClientInfo { get; }
        /// <summary>OpenNap's 0 (unknown) to 10 (T3 or better).</summary>
        public int LinkSpeed { get; }

        public string Format() =>
            string.Format(CultureInfo.InvariantCulture, "{0} {1} {2} \"{3}\" {4}", Nick, Password, DataPort, ClientInfo, LinkSpeed);

        public static NapsterLogin Parse(string payload)
        {
            var r = new NapsterFieldReader(payload, "login");
            string nick = r.Word("the nick");
            if (nick.Length > MaxNickLength || nick.IndexOf('"') >= 0) throw r.Fail($"the nick must be at most {MaxNickLength} characters without quotes");
            string password = r.Word("the password");
            int port = r.Int("the data port", 0, 65535);
            string client = r.Quoted("the client info");
            int speed = r.Int("the link speed", 0, 10);
            // OpenNap clients may send more fields (build number); they are not needed here.
            return new NapsterLogin(nick, password, port, client, speed);
        }
    }
}
