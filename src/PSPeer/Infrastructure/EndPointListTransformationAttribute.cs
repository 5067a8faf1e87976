using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>
    /// -Bootstrap takes a list of what -IndexServer takes (PeerNodes, node names, "host:port", HostPorts), or one
    /// string with endpoints separated by commas ("127.0.0.1:6346,127.0.0.1:6347"). Everything becomes HostPort[].
    /// </summary>
    public sealed class EndPointListTransformationAttribute : ArgumentTransformationAttribute
    {
        static readonly EndPointTransformationAttribute One = new EndPointTransformationAttribute();

        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject pso ? pso.BaseObject : inputData;
            var result = new List<HostPort>();
            if (value == null) return null;
            if (value is IEnumerable items && !(value is string))
            {
                foreach (var item in items) Add(engineIntrinsics, item, result);
            }
            else Add(engineIntrinsics, value, result);
            return result.ToArray();
        }

        static void Add(EngineIntrinsics engine, object item, List<HostPort> result)
        {
            object value = item is PSObject pso ? pso.BaseObject : item;
            if (value is string text && text.IndexOf(',') >= 0)
            {
                foreach (var part in text.Split(','))
                    if (part.Trim().Length > 0) result.Add((HostPort)One.Transform(engine, part.Trim()));
                return;
            }
            if (value != null) result.Add((HostPort)One.Transform(engine, value));
        }
    }
}
