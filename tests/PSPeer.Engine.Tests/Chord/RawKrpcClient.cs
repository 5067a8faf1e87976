using System;
using System.Collections.Generic;
using System.Net;
using System.Text;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Chord.Krpc;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;

namespace PSPeer.Engine.Tests.Chord
{
    /// <summary>A hand-driven KRPC peer on its own simulated host: sends whatever bytes a test writes, keeps every answer.</summary>
    sealed class RawKrpcClient
    {
        readonly Simulation _sim;
        readonly IDatagramSocket _socket;
        public readonly List<KrpcMessage> Answers = new List<KrpcMessage>();
        /// <summary>Every datagram that came back, as its bytes (to compare with hand-written ones).</summary>
        public readonly List<byte[]> RawAnswers = new List<byte[]>();
        public readonly SimulatedHost Host;

        /// <param name="answerQueries">
        /// Answer every query with a bare response (only "id"), as a KRPC client that knows none of PSPeer's extra keys
        /// and holds nothing would; the queries are kept in <see cref="Queries"/>.
        /// </param>
        public RawKrpcClient(ChordWorld world, string name, bool answerQueries = false)
        {
            _sim = world.Sim;
            Host = world.Sim.AddHost(name);
            _socket = Host.Datagrams.Bind(6000, (s, from, payload) =>
            {
                RawAnswers.Add(payload.AsSpan().ToArray());
                if (KrpcCodec.Decode(payload.Array, payload.Offset, payload.Count, out var m, out _) != KrpcDecodeStatus.Ok) return;
                if (m.Kind != KrpcKind.Query) { Answers.Add(m); return; }
                Queries.Add(m);
                if (answerQueries)
                {
                    var bytes = KrpcCodec.Encode(KrpcMessage.Response(m.TransactionId, HonestId));
                    s.Send(bytes, 0, bytes.Length, from);
                }
            });
        }

        /// <summary>Queries that reached this client.</summary>
        public readonly List<KrpcMessage> Queries = new List<KrpcMessage>();

        /// <summary>This client as a ring contact (compact node info).</summary>
        public ChordContact Contact => new ChordContact(HonestId, new IPEndPoint(IPAddress.Parse(Host.HostAddress), _socket.Port));

        /// <summary>The id a node at this client's endpoint must claim (SHA-1 of "address:port").</summary>
        public ChordId HonestId => ChordId.FromEndPoint(Host.HostAddress + ":" + _socket.Port);

        public void Send(ChordNode to, byte[] bytes) => _sim.Post(() => _socket.Send(bytes, 0, bytes.Length, to.Self.EndPoint));

        public void Send(ChordNode to, string latin1) => Send(to, Encoding.GetEncoding("ISO-8859-1").GetBytes(latin1));

        public void Send(ChordNode to, KrpcMessage message)
        {
            if (message.TransactionId == null) message.TransactionId = new byte[] { 0x7a, 0x7a };
            Send(to, KrpcCodec.Encode(message));
        }

        /// <summary>Sends and runs the simulation a little; returns the one answer that came back (null when none).</summary>
        public KrpcMessage Ask(ChordNode to, KrpcMessage message)
        {
            int before = Answers.Count;
            Send(to, message);
            _sim.RunFor(TimeSpan.FromMilliseconds(200));
            return Answers.Count > before ? Answers[Answers.Count - 1] : null;
        }

        public KrpcMessage Ask(ChordNode to, string latin1)
        {
            int before = Answers.Count;
            Send(to, latin1);
            _sim.RunFor(TimeSpan.FromMilliseconds(200));
            return Answers.Count > before ? Answers[Answers.Count - 1] : null;
        }

        public KrpcMessage Query(string method, ChordId? target = null)
        {
            var q = KrpcMessage.Query(method, HonestId);
            q.Target = target;
            return q;
        }

        /// <summary>A token of <paramref name="node"/> for this client's address, from a closest_preceding answer.</summary>
        public byte[] TokenFrom(ChordNode node) => Ask(node, Query(KrpcMethod.ClosestPreceding, ChordId.Zero)).Token;
    }
}
