using System;
using System.Linq;
using System.Management.Automation;

namespace PSPeer
{
    /// <summary>
    /// Lets a node's name stand for the node wherever a PeerNode is taken (-Via alice, -Node idx, 'alice' | Stop-PeerNode),
    /// so the names tab completion offers bind as typed. Registered for PSPeer.PeerNode in PSPeer.Types.ps1xml; a name
    /// no node of this session has is an error naming it.
    /// </summary>
    public sealed class PeerNodeNameConverter : PSTypeConverter
    {
        public override bool CanConvertFrom(object sourceValue, Type destinationType) =>
            Unwrap(sourceValue) is string && destinationType == typeof(PeerNode);

        public override object ConvertFrom(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase)
        {
            string name = Unwrap(sourceValue) as string;
            var node = name == null ? null : NodeRegistry.GetNodes().FirstOrDefault(n => NodeRegistry.NameEquals(n.Name, name));
            if (node == null)
                throw new PSInvalidCastException($"No node named '{name}' runs in this session: Get-PeerNode lists them, Tab completes their names.");
            return node;
        }

        public override bool CanConvertTo(object sourceValue, Type destinationType) => false;

        public override object ConvertTo(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase) =>
            throw new PSInvalidCastException($"A PeerNode does not convert to {destinationType}.");

        static object Unwrap(object value) => value is PSObject pso ? pso.BaseObject : value;
    }
}
