using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using PSPeer.Engine.BitTorrent;

namespace PSPeer
{
    /// <summary>
    /// Lets -Tracker take announce URLs or tracker nodes of this session (a PeerNode from
    /// `Start-PeerNode -Role Tracker`, or its name): every item becomes its announce URL.
    /// </summary>
    public sealed class TrackerUrlTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = Unwrap(inputData);
            if (value == null) return null;
            var urls = new List<string>();
            if (value is IEnumerable items && !(value is string))
                foreach (object item in items) urls.Add(ToUrl(Unwrap(item)));
            else
                urls.Add(ToUrl(value));
            return urls.ToArray();
        }

        static object Unwrap(object o) => o is PSObject pso ? pso.BaseObject : o;

        static string ToUrl(object value)
        {
            switch (value)
            {
                case null: throw new ArgumentTransformationMetadataException("A tracker cannot be null.");
                case PeerNode node: return FromNode(node.Engine);
                case BitTorrentTracker tracker: return FromNode(tracker);
                case string text:
                    if (text.Contains("://")) return text;
                    foreach (var known in NodeRegistry.GetNodes())
                        if (NodeRegistry.NameEquals(known.Name, text)) return FromNode(known.Engine);
                    throw new ArgumentTransformationMetadataException(
                        $"'{text}' is neither an announce URL (for example http://127.0.0.1:6969/announce) nor the name of a tracker node of this session.");
                default:
                    return value.ToString();
            }
        }

        static string FromNode(Engine.Core.PeerNodeBase node)
        {
            if (node is BitTorrentTracker tracker && tracker.AnnounceUrl != null) return tracker.AnnounceUrl;
            throw new ArgumentTransformationMetadataException(
                $"Node '{node.Name}' is a {node.Protocol} {node.Role}, not a running BitTorrent tracker: pass a tracker node or an announce URL.");
        }
    }
}
