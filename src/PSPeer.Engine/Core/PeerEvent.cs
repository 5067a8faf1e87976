using System;
using System.Collections.Generic;
using Newtonsoft.Json;

namespace PSPeer.Engine.Core
{
    /// <summary>
    /// One thing that happened at a node, stamped with the runtime's clock (virtual time in a simulation).
    /// Type is one of <see cref="PeerEventTypes"/>; Data carries the type's particulars (file, bytes, reason...).
    /// </summary>
    public sealed class PeerEvent
    {
        [JsonConstructor]
        internal PeerEvent(DateTimeOffset time, string node, string type, string remote, string message, IReadOnlyDictionary<string, object> data)
        {
            Time = time;
            Node = node;
            Type = type;
            Remote = remote;
            Message = message;
            Data = data ?? Empty;
        }

        static readonly IReadOnlyDictionary<string, object> Empty = new Dictionary<string, object>();

        public DateTimeOffset Time { get; }
        public string Node { get; }
        public string Type { get; }
        /// <summary>The other end ("host:port") where the event concerns a connection, else null.</summary>
        public string Remote { get; }
        public string Message { get; }
        public IReadOnlyDictionary<string, object> Data { get; }

        public object this[string key] => Data.TryGetValue(key, out var v) ? v : null;

        /// <summary>One line of a JSON Lines trace.</summary>
        public string ToJson() => JsonConvert.SerializeObject(this, Formatting.None);
        public static PeerEvent FromJson(string line) => JsonConvert.DeserializeObject<PeerEvent>(line);

        public override string ToString() => $"{Time:HH:mm:ss.fff} {Node} {Type}{(Remote == null ? "" : " " + Remote)} {Message}".TrimEnd();
    }
}
