using System.Text;
using Google.FlatBuffers;

namespace FaceFunctions.ModelConverter.Tflite;

/// <summary>
/// Reads the few fields of a TFLite FlatBuffer that MTCNN needs. Field slots follow TFLite's schema.fbs
/// (declaration order; a union takes two slots). We read through FlatBuffers' generic <see cref="Table"/>
/// instead of generated code, because the schema is another project's file and we need only a dozen fields.
/// </summary>
internal static class TfliteReader
{
    private const string FileIdentifier = "TFL3";

    public static TfliteModel Read(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 8 || Encoding.ASCII.GetString(bytes, 4, 4) != FileIdentifier)
        {
            throw new InvalidDataException($"Not a TFLite model: the FlatBuffer file identifier is not '{FileIdentifier}'.");
        }

        var bb = new ByteBuffer(bytes);
        var model = new Table(bb.GetInt(0), bb);

        // Model: version 0, operator_codes 1, subgraphs 2, description 3, buffers 4.
        var codes = Tables(model, 1).Select(ReadOperatorCode).ToArray();
        var buffers = Tables(model, 4).Select(b => Bytes(b, 0)).ToArray();
        var subgraphs = Tables(model, 2).ToArray();
        if (subgraphs.Length != 1)
        {
            throw new InvalidDataException($"Expected one subgraph, found {subgraphs.Length}.");
        }

        // SubGraph: tensors 0, inputs 1, outputs 2, operators 3, name 4.
        var graph = subgraphs[0];
        var tensors = Tables(graph, 0).Select(t => ReadTensor(t, buffers)).ToArray();
        var operators = Tables(graph, 3).Select(o => ReadOperator(o, codes)).ToArray();
        return new TfliteModel(tensors, operators, Ints(graph, 1), Ints(graph, 2));
    }

    private static BuiltinOperator ReadOperatorCode(Table code)
    {
        // OperatorCode: deprecated_builtin_code 0 (byte), custom_code 1, version 2, builtin_code 3 (int).
        // Older writers fill only the deprecated byte and leave builtin_code at its default 0 (ADD),
        // newer ones fill both: the larger of the two is the real code.
        var deprecated = Byte(code, 0);
        var builtin = Int(code, 3);
        var value = Math.Max(deprecated, builtin);
        return Enum.IsDefined((BuiltinOperator)value)
            ? (BuiltinOperator)value
            : throw new NotSupportedException($"TFLite builtin operator {value} is not supported by this converter.");
    }

    private static TfliteTensor ReadTensor(Table tensor, byte[][] buffers)
    {
        // Tensor: shape 0, type 1 (byte), buffer 2 (uint index into Model.buffers), name 3.
        var type = (TfliteTensorType)Byte(tensor, 1);
        if (!Enum.IsDefined(type))
        {
            throw new NotSupportedException($"TFLite tensor type {(int)type} is not supported (only float32 and int32).");
        }

        var data = buffers[Int(tensor, 2)];
        var nameOffset = tensor.__offset(VTable(3));
        var name = nameOffset == 0 ? string.Empty : tensor.__string(tensor.bb_pos + nameOffset);
        return new TfliteTensor(name, Ints(tensor, 0), type, data.Length == 0 ? null : data);
    }

    private static TfliteOperator ReadOperator(Table op, BuiltinOperator[] codes)
    {
        // Operator: opcode_index 0 (uint), inputs 1, outputs 2, builtin_options_type 3, builtin_options 4.
        var code = codes[Int(op, 0)];
        var optionsOffset = op.__offset(VTable(4));
        var options = optionsOffset == 0
            ? null
            : ReadOptions(code, new Table(op.__indirect(op.bb_pos + optionsOffset), op.bb));
        return new TfliteOperator(code, Ints(op, 1), Ints(op, 2), options);
    }

    // The option table's type follows from the operator code, so the union's type byte is not needed.
    private static TfliteOptions? ReadOptions(BuiltinOperator code, Table options) => code switch
    {
        // Conv2DOptions: padding 0, stride_w 1, stride_h 2, fused_activation_function 3.
        BuiltinOperator.Conv2D => new Conv2DOptions(
            (TflitePadding)Byte(options, 0), Int(options, 1), Int(options, 2), Byte(options, 3)),
        // Pool2DOptions: padding 0, stride_w 1, stride_h 2, filter_width 3, filter_height 4, fused_activation_function 5.
        BuiltinOperator.MaxPool2D => new Pool2DOptions(
            (TflitePadding)Byte(options, 0), Int(options, 1), Int(options, 2), Int(options, 3), Int(options, 4), Byte(options, 5)),
        _ => null,
    };

    private static int VTable(int slot) => 4 + (2 * slot);

    // Scalars absent from a table take the schema default, 0 for every field read here.
    private static int Byte(Table table, int slot) =>
        table.__offset(VTable(slot)) is var o and not 0 ? table.bb.GetSbyte(table.bb_pos + o) : 0;

    // Also reads the uint fields (buffer and opcode indices): the files are far too small for the sign bit to matter.
    private static int Int(Table table, int slot) =>
        table.__offset(VTable(slot)) is var o and not 0 ? table.bb.GetInt(table.bb_pos + o) : 0;

    private static int[] Ints(Table table, int slot)
    {
        var o = table.__offset(VTable(slot));
        if (o == 0)
        {
            return [];
        }

        var start = table.__vector(o);
        var result = new int[table.__vector_len(o)];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = table.bb.GetInt(start + (4 * i));
        }

        return result;
    }

    private static byte[] Bytes(Table table, int slot)
    {
        var o = table.__offset(VTable(slot));
        if (o == 0)
        {
            return [];
        }

        var start = table.__vector(o);
        var length = table.__vector_len(o);
        return table.bb.ToArray<byte>(start, length);
    }

    private static IEnumerable<Table> Tables(Table table, int slot)
    {
        var o = table.__offset(VTable(slot));
        if (o == 0)
        {
            yield break;
        }

        var start = table.__vector(o);
        var length = table.__vector_len(o);
        for (var i = 0; i < length; i++)
        {
            yield return new Table(table.__indirect(start + (4 * i)), table.bb);
        }
    }
}
