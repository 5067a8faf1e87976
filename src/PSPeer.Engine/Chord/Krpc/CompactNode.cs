using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace PSPeer.Engine.Chord.Krpc
{
    /// <summary>
    /// BEP 5's compact node info: 20-byte id, 4-byte IPv4 address, 2-byte port, network byte order; a list is the
    /// concatenation. IPv4 only on this wire for now (an IPv4-mapped IPv6 address is written as its IPv4 form).
    /// </summary>
    public static class CompactNode
    {
        public const int Length = 26;

        public static byte[] Encode(ChordContact contact)
        {
            var bytes = new byte[Length];
            Write(contact, bytes, 0);
            return bytes;
        }

        public static byte[] Encode(IReadOnlyList<ChordContact> contacts)
        {
            var bytes = new byte[contacts.Count * Length];
            for (int i = 0; i < contacts.Count; i++) Write(contacts[i], bytes, i * Length);
            return bytes;
        }

        public static void Write(ChordContact contact, byte[] buffer, int offset)
        {
            contact.Id.WriteTo(buffer, offset);
            var address = contact.EndPoint.Address;
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            if (address.AddressFamily != AddressFamily.InterNetwork)
                throw new ArgumentException($"Compact node info is IPv4 only; {contact.EndPoint} is not.", nameof(contact));
#pragma warning disable CS0618 // Address: the IPv4 value without allocating the byte array
            uint a = (uint)address.Address; // little-endian in memory: the first octet is the lowest byte
#pragma warning restore CS0618
            buffer[offset + 20] = (byte)a;
            buffer[offset + 21] = (byte)(a >> 8);
            buffer[offset + 22] = (byte)(a >> 16);
            buffer[offset + 23] = (byte)(a >> 24);
            int port = contact.EndPoint.Port;
            buffer[offset + 24] = (byte)(port >> 8);
            buffer[offset + 25] = (byte)port;
        }

        /// <summary>One contact from 26 bytes at <paramref name="offset"/>.</summary>
        public static ChordContact Read(byte[] buffer, int offset)
        {
            var id = ChordId.FromBytes(buffer, offset);
            long a = buffer[offset + 20] | (long)buffer[offset + 21] << 8 | (long)buffer[offset + 22] << 16 | (long)buffer[offset + 23] << 24;
            int port = buffer[offset + 24] << 8 | buffer[offset + 25];
            return new ChordContact(id, new IPEndPoint(new IPAddress(a), port));
        }

        /// <summary>A list of contacts; null when the length is not a multiple of 26.</summary>
        public static ChordContact[] ReadList(byte[] bytes)
        {
            if (bytes == null || bytes.Length % Length != 0) return null;
            var contacts = new ChordContact[bytes.Length / Length];
            for (int i = 0; i < contacts.Length; i++) contacts[i] = Read(bytes, i * Length);
            return contacts;
        }
    }
}
