using System;
using System.Management.Automation;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>
    /// Lets -IndexServer take what users have at hand: a PeerNode (from Start-PeerNode), the name of a node of this
    /// session, a "host:port" string, or a HostPort. Everything becomes a HostPort (a list, a HostPort[]).
    /// </summary>
    public sealed class EndPointTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject pso ? pso.BaseObject : inputData;
            if (value is System.Collections.IEnumerable items && !(value is string))
            {
                var endPoints = new System.Collections.Generic.List<HostPort>();
                foreach (object item in items) endPoints.Add((HostPort)Transform(engineIntrinsics, item));
                return endPoints.ToArray();
            }
            switch (value)
            {
                case null: return null;
                case HostPort endPoint: return endPoint;
                case PeerNode node:
                    if (string.IsNullOrEmpty(node.EndPoint)) throw new ArgumentTransformationMetadataException($"Node '{node.Name}' has no endpoint: is it running?");
                    return HostPort.Parse(node.EndPoint);
                case PeerNodeBase engineNode:
                    return HostPort.Parse(engineNode.EndPoint);
                case string text:
                    if (HostPort.TryParse(text, out var parsed)) return parsed;
                    foreach (var known in NodeRegistry.GetNodes())
                        if (NodeRegistry.NameEquals(known.Name, text) && known.EndPoint != null) return HostPort.Parse(known.EndPoint);
                    throw new ArgumentTransformationMetadataException(
                        $"'{text}' is neither host:port (for example 127.0.0.1:8888) nor the name of a node of this session.");
                default:
                    throw new ArgumentTransformationMetadataException(
                        $"Cannot use a {value.GetType().Name} as an endpoint: pass a PeerNode, a node name or host:port.");
            }
        }
    }
}
