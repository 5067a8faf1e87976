using System;
using System.Net;

namespace PSPeer.Engine.Chord
{
    /// <summary>
    /// A ring member as the wire carries it ("compact node info", 26 bytes: id, IPv4 address, port). Immutable, so
    /// one instance may sit in many nodes' fingers and successor lists at once (a simulated ring of a million nodes
    /// shares them).
    /// </summary>
    public sealed class ChordContact : IEquatable<ChordContact>
    {
        public ChordContact(ChordId id, IPEndPoint endPoint)
        {
            Id = id;
            EndPoint = endPoint ?? throw new ArgumentNullException(nameof(endPoint));
        }

        /// <summary>A contact whose id is SHA-1 of "address:port", as the paper and the wire expect by default.</summary>
        public static ChordContact For(IPEndPoint endPoint) =>
            new ChordContact(ChordId.FromEndPoint(endPoint.Address + ":" + endPoint.Port), endPoint);

        public ChordId Id { get; }
        public IPEndPoint EndPoint { get; }

        /// <summary>Same id at the same endpoint.</summary>
        public bool Equals(ChordContact other) => other != null && Id.Equals(other.Id) && EndPoint.Equals(other.EndPoint);
        public override bool Equals(object obj) => Equals(obj as ChordContact);
        public override int GetHashCode() => Id.GetHashCode();
        public override string ToString() => Id.ToShortHex() + "@" + EndPoint;
    }
}
