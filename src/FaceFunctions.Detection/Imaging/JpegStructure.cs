using System.Buffers.Binary;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// Checks, before decoding, that a Huffman-coded JPEG really holds the image its header declares. ImageSharp
/// decodes a scan that runs out of data without complaint, filling the rest with grey: a file cut in half with
/// an end-of-image marker appended would be analysed as half a photo. So every scan's entropy-coded data is
/// walked here: each Huffman code is followed (the coefficients themselves are not computed) and the data units
/// are counted; a scan whose data ends before its last block is corrupt. Also refused: more scans than the limit
/// (counted before any walking), a component using a quantisation or Huffman table the file never defines (what
/// libjpeg refuses too), and progressive files whose scans stop before every coefficient is complete.
/// </summary>
/// <remarks>
/// Cost: one pass over the entropy-coded bytes, bit by bit (a few ms per MB), plus one step per block of each
/// scan. Arithmetic-coded and lossless JPEGs are left to the decoder, which does not support them. Successive-
/// approximation refinement of AC coefficients is not walked (it needs every coefficient's history); a cut
/// inside such a scan loses only the lowest bit of some coefficients, not picture content.
/// </remarks>
internal static class JpegStructure
{
    private const byte Sof0 = 0xC0, Sof1 = 0xC1, Sof2 = 0xC2, Dht = 0xC4, Sos = 0xDA, Dqt = 0xDB, Dri = 0xDD, Eoi = 0xD9;

    /// <summary>Null when the file is whole and within the scan limit, otherwise why not.</summary>
    public static ImageRejectedException? Check(ReadOnlySpan<byte> file, int maxScans)
    {
        int scans = CountScans(file);
        if (scans > maxScans)
        {
            return new ImageRejectedException(
                ImageErrorCode.TooLarge,
                $"The jpeg file has {scans} scans; at most {maxScans} are accepted (a progressive photo has a few dozen).");
        }

        string? problem = new Walker(file).Run();
        return problem is null ? null : new ImageRejectedException(ImageErrorCode.Corrupt, $"The jpeg file is damaged: {problem}.");
    }

    /// <summary>SOS markers in the file, found by skipping segments and entropy-coded data without decoding.</summary>
    private static int CountScans(ReadOnlySpan<byte> file)
    {
        int scans = 0;
        var segments = new SegmentReader(file);
        while (segments.Next(out byte marker, out _))
        {
            if (marker == Sos)
            {
                scans++;
                segments.SkipEntropyCodedData();
            }
        }

        return scans;
    }

    /// <summary>Marker segments in file order; entropy-coded data must be skipped by the caller after an SOS.</summary>
    private ref struct SegmentReader(ReadOnlySpan<byte> file)
    {
        private readonly ReadOnlySpan<byte> _file = file;

        public int Position { get; set; } = 2; // after SOI

        /// <summary>Whether <see cref="Next"/> stopped at an EOI marker (rather than the file's end).</summary>
        public bool AtEndOfImage { get; private set; }

        /// <summary>False at EOI or when the file ends or a segment length overruns it.</summary>
        public bool Next(out byte marker, out ReadOnlySpan<byte> payload)
        {
            payload = default;
            marker = 0;
            while (true)
            {
                // Between segments only 0xFF fill bytes are expected; skip stray bytes as decoders do.
                int next = _file[Position..].IndexOf((byte)0xFF);
                if (next < 0)
                {
                    return false;
                }

                Position += next;
                while (Position < _file.Length && _file[Position] == 0xFF)
                {
                    Position++;
                }

                if (Position >= _file.Length)
                {
                    return false;
                }

                marker = _file[Position++];
                if (marker == Eoi)
                {
                    AtEndOfImage = true;
                    return false;
                }

                if (marker is 0x00 or 0x01 or (>= 0xD0 and <= 0xD8))
                {
                    continue; // no length field
                }

                if (Position + 2 > _file.Length)
                {
                    return false;
                }

                int length = BinaryPrimitives.ReadUInt16BigEndian(_file[Position..]);
                if (length < 2 || Position + length > _file.Length)
                {
                    return false;
                }

                payload = _file.Slice(Position + 2, length - 2);
                Position += length;
                return true;
            }
        }

        /// <summary>Moves to the first marker after entropy-coded data (not a stuffed zero or a restart marker).</summary>
        public void SkipEntropyCodedData()
        {
            while (true)
            {
                int next = _file[Position..].IndexOf((byte)0xFF);
                if (next < 0 || Position + next + 1 >= _file.Length)
                {
                    Position = _file.Length;
                    return;
                }

                Position += next;
                byte following = _file[Position + 1];
                if (following == 0x00 || following is >= 0xD0 and <= 0xD7)
                {
                    Position += 2;
                    continue;
                }

                if (following == 0xFF)
                {
                    Position++;
                    continue;
                }

                return;
            }
        }
    }

    /// <summary>
    /// A canonical Huffman table as JPEG defines it (Annex C): codes up to <see cref="LookupBits"/> long (nearly all
    /// of them) are found in one table look-up, longer ones one bit at a time.
    /// </summary>
    private sealed class HuffmanTable
    {
        private const int LookupBits = 9;

        private readonly int[] _maxCode = new int[18];
        private readonly int[] _valueOffset = new int[17];
        private readonly byte[] _values;

        /// <summary>For each <see cref="LookupBits"/>-bit prefix: code length (0 = longer code) and symbol.</summary>
        private readonly (byte Length, byte Symbol)[] _lookup = new (byte, byte)[1 << LookupBits];

        /// <summary>For each prefix: code length plus the value bits that follow it, when both fit in the prefix (else 0).</summary>
        private readonly byte[] _codeAndValueLength = new byte[1 << LookupBits];

        private readonly bool _dc;

        /// <param name="counts">Codes of each length, 1 to 16.</param>
        /// <param name="values">The symbols, in code order.</param>
        /// <param name="dc">A DC table (a symbol is the number of value bits) rather than AC (its low four bits are).</param>
        public HuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values, bool dc)
        {
            _dc = dc;
            _values = values.ToArray();
            int code = 0, k = 0;
            for (int length = 1; length <= 16; length++)
            {
                _valueOffset[length] = k - code;
                for (int i = 0; i < counts[length - 1]; i++, code++, k++)
                {
                    if (length <= LookupBits && code < (1 << length))
                    {
                        int shift = LookupBits - length;
                        for (int suffix = 0; suffix < 1 << shift; suffix++)
                        {
                            _lookup[(code << shift) | suffix] = ((byte)length, _values[k]);
                        }
                    }
                }

                _maxCode[length] = counts[length - 1] == 0 ? -1 : code - 1;
                code <<= 1;
            }

            _maxCode[17] = int.MaxValue;
            for (int prefix = 0; prefix < _lookup.Length; prefix++)
            {
                var (length, symbol) = _lookup[prefix];
                int total = length + ValueBits(symbol);
                _codeAndValueLength[prefix] = length > 0 && total <= LookupBits ? (byte)total : (byte)0;
            }
        }

        /// <summary>
        /// The next symbol, with the value bits after it skipped (a DC difference or an AC coefficient; an AC end-of-band
        /// run's bits are left to the caller), or -1 when the data ends first or holds no valid code.
        /// </summary>
        public int DecodeAndSkipValue(ref BitReader bits)
        {
            int prefix = bits.Peek(LookupBits);
            int symbol;
            if (prefix >= 0 && _codeAndValueLength[prefix] > 0)
            {
                bits.Read(_codeAndValueLength[prefix]);
                return _lookup[prefix].Symbol;
            }
            else if (prefix >= 0 && _lookup[prefix].Length > 0)
            {
                bits.Read(_lookup[prefix].Length);
                symbol = _lookup[prefix].Symbol;
            }
            else
            {
                symbol = Decode(ref bits);
            }

            int valueBits = ValueBits(symbol);
            return symbol < 0 || valueBits > 16 || bits.Read(valueBits) < 0 ? -1 : symbol;
        }

        private int ValueBits(int symbol) => _dc ? symbol : symbol & 0x0F;

        /// <summary>The next symbol, or -1 when the data ends first or holds no valid code.</summary>
        public int Decode(ref BitReader bits)
        {
            int prefix = bits.Peek(LookupBits);
            if (prefix >= 0 && _lookup[prefix].Length > 0)
            {
                bits.Read(_lookup[prefix].Length);
                return _lookup[prefix].Symbol;
            }

            int code = 0;
            for (int length = 1; length <= 16; length++)
            {
                int bit = bits.Read(1);
                if (bit < 0)
                {
                    return -1;
                }

                code = (code << 1) | bit;
                if (code <= _maxCode[length])
                {
                    int index = code + _valueOffset[length];
                    return (uint)index < (uint)_values.Length ? _values[index] : -1;
                }
            }

            return -1;
        }
    }

    /// <summary>Reads entropy-coded bits; stops at a marker (a 0xFF not followed by a stuffed zero) or the file's end.</summary>
    private ref struct BitReader(ReadOnlySpan<byte> file, int position)
    {
        private readonly ReadOnlySpan<byte> _file = file;
        private ulong _buffer;
        private int _count;

        public int Position { get; private set; } = position;

        /// <summary>The next <paramref name="n"/> bits (0 to 16), or -1 when the scan's data has ended.</summary>
        public int Read(int n)
        {
            int value = Peek(n);
            if (value >= 0)
            {
                _count -= n;
            }

            return value;
        }

        /// <summary>The next <paramref name="n"/> bits (0 to 16) without consuming them, or -1 when fewer remain.</summary>
        public int Peek(int n)
        {
            if (_count < n)
            {
                Fill();
                if (_count < n)
                {
                    return -1;
                }
            }

            return (int)((_buffer >> (_count - n)) & ((1UL << n) - 1));
        }

        /// <summary>Buffers bytes up to 56 bits, stopping at a marker (the end of this scan's data) or the file's end.</summary>
        private void Fill()
        {
            while (_count <= 48 && Position < _file.Length)
            {
                byte b = _file[Position];
                if (b == 0xFF)
                {
                    if (Position + 1 >= _file.Length || _file[Position + 1] != 0x00)
                    {
                        return;
                    }

                    Position++;
                }

                Position++;
                _buffer = (_buffer << 8) | b;
                _count += 8;
            }
        }

        /// <summary>
        /// At a restart boundary: drops the partial byte, skips fill bytes and expects an RSTn marker. False when
        /// any other marker (or the end) comes instead: the interval's successors are missing.
        /// </summary>
        public bool Restart()
        {
            _count = 0;
            while (Position + 1 < _file.Length && _file[Position] == 0xFF && _file[Position + 1] == 0xFF)
            {
                Position++;
            }

            if (Position + 1 < _file.Length && _file[Position] == 0xFF && _file[Position + 1] is >= 0xD0 and <= 0xD7)
            {
                Position += 2;
                return true;
            }

            return false;
        }
    }

    private sealed class Component(int id, int h, int v, int quantTable)
    {
        public int Id { get; } = id;

        public int H { get; } = h;

        public int V { get; } = v;

        public int QuantTable { get; } = quantTable;

        public int BlocksPerLine { get; set; }

        public int BlocksPerColumn { get; set; }

        /// <summary>Per coefficient, the lowest bit a scan has delivered (0 = complete), or -1 when none has.</summary>
        public int[] Precision { get; } = Enumerable.Repeat(-1, 64).ToArray();
    }

    private readonly record struct ScanComponent(Component Component, HuffmanTable? Dc, HuffmanTable? Ac);

    /// <summary>Walks the file once; <see cref="Run"/> returns null for a whole file or what is wrong with it.</summary>
    private ref struct Walker(ReadOnlySpan<byte> file)
    {
        private readonly ReadOnlySpan<byte> _file = file;
        private readonly HuffmanTable?[] _dc = new HuffmanTable?[4];
        private readonly HuffmanTable?[] _ac = new HuffmanTable?[4];
        private readonly bool[] _quantDefined = new bool[4];
        private List<Component>? _components;
        private bool _progressive;
        private int _mcusPerLine, _mcusPerColumn, _restartInterval;

        public string? Run()
        {
            var segments = new SegmentReader(_file);
            while (segments.Next(out byte marker, out ReadOnlySpan<byte> payload))
            {
                if (marker is >= 0xC3 and <= 0xCF and not Dht and not 0xC8 and not 0xCC)
                {
                    return null; // arithmetic or lossless coding: ImageSharp 2.1 refuses these itself
                }

                string? problem = marker switch
                {
                    Dqt => DefineQuantTables(payload),
                    Dht => DefineHuffmanTables(payload),
                    Dri => SetRestartInterval(payload),
                    Sof0 or Sof1 or Sof2 when _components is null => StartFrame(marker, payload),
                    _ => null,
                };
                if (problem is not null)
                {
                    return problem;
                }

                if (marker == Sos)
                {
                    var (next, scanProblem) = Scan(payload, segments.Position);
                    if (scanProblem is not null)
                    {
                        return scanProblem;
                    }

                    segments.Position = next;
                    segments.SkipEntropyCodedData();
                }
            }

            return segments.AtEndOfImage ? Incomplete() : "it ends before its end-of-image marker (the file is truncated)";
        }

        private readonly string? Incomplete()
        {
            if (_components is null)
            {
                return "it has no frame header";
            }

            foreach (Component c in _components)
            {
                bool complete = _progressive ? Array.TrueForAll(c.Precision, p => p == 0) : c.Precision[0] == 0;
                if (!complete)
                {
                    return _progressive
                        ? "its progressive scans stop before the image is complete (the file is truncated)"
                        : "a colour component is never coded (the file is truncated)";
                }
            }

            return null;
        }

        private string? DefineQuantTables(ReadOnlySpan<byte> payload)
        {
            while (payload.Length > 0)
            {
                int precision = payload[0] >> 4, id = payload[0] & 0x0F;
                int size = 1 + (precision == 0 ? 64 : 128);
                if (id > 3 || precision > 1 || payload.Length < size)
                {
                    return "a quantisation table segment is malformed";
                }

                _quantDefined[id] = true;
                payload = payload[size..];
            }

            return null;
        }

        private string? DefineHuffmanTables(ReadOnlySpan<byte> payload)
        {
            while (payload.Length > 0)
            {
                if (payload.Length < 17)
                {
                    return "a Huffman table segment is malformed";
                }

                int tableClass = payload[0] >> 4, id = payload[0] & 0x0F;
                int total = 0;
                for (int i = 1; i <= 16; i++)
                {
                    total += payload[i];
                }

                if (tableClass > 1 || id > 3 || total > 256 || payload.Length < 17 + total)
                {
                    return "a Huffman table segment is malformed";
                }

                var table = new HuffmanTable(payload.Slice(1, 16), payload.Slice(17, total), dc: tableClass == 0);
                (tableClass == 0 ? _dc : _ac)[id] = table;
                payload = payload[(17 + total)..];
            }

            return null;
        }

        private string? SetRestartInterval(ReadOnlySpan<byte> payload)
        {
            if (payload.Length < 2)
            {
                return "a restart interval segment is too short";
            }

            _restartInterval = BinaryPrimitives.ReadUInt16BigEndian(payload);
            return null;
        }

        private string? StartFrame(byte marker, ReadOnlySpan<byte> payload)
        {
            if (payload.Length < 6 || payload.Length < 6 + (3 * payload[5]) || payload[5] == 0)
            {
                return "its frame header is malformed";
            }

            int height = BinaryPrimitives.ReadUInt16BigEndian(payload[1..]);
            int width = BinaryPrimitives.ReadUInt16BigEndian(payload[3..]);
            _progressive = marker == Sof2;
            var components = new List<Component>();
            for (int i = 0; i < payload[5]; i++)
            {
                ReadOnlySpan<byte> c = payload.Slice(6 + (3 * i), 3);
                int h = c[1] >> 4, v = c[1] & 0x0F;
                if (h is < 1 or > 4 || v is < 1 or > 4 || c[2] > 3)
                {
                    return "its frame header is malformed";
                }

                components.Add(new Component(c[0], h, v, c[2]));
            }

            int hMax = components.Max(c => c.H), vMax = components.Max(c => c.V);
            _mcusPerLine = DivideUp(width, 8 * hMax);
            _mcusPerColumn = DivideUp(height, 8 * vMax);
            foreach (Component c in components)
            {
                c.BlocksPerLine = DivideUp(DivideUp(width * c.H, hMax), 8);
                c.BlocksPerColumn = DivideUp(DivideUp(height * c.V, vMax), 8);
            }

            _components = components;
            return null;
        }

        /// <summary>Walks one scan from its header; returns where its data ended, or what is wrong with it.</summary>
        private (int Next, string? Problem) Scan(ReadOnlySpan<byte> header, int dataStart)
        {
            if (_components is null)
            {
                return (0, "a scan comes before the frame header");
            }

            int count = header.Length > 0 ? header[0] : 0;
            if (count is < 1 or > 4 || header.Length < 1 + (2 * count) + 3)
            {
                return (0, "a scan header is malformed");
            }

            var scan = new ScanComponent[count];
            for (int i = 0; i < count; i++)
            {
                int id = header[1 + (2 * i)], tables = header[2 + (2 * i)];
                Component? component = _components.Find(c => c.Id == id);
                if (component is null || (tables >> 4) > 3 || (tables & 0x0F) > 3)
                {
                    return (0, "a scan refers to a colour component the frame does not have");
                }

                if (!_quantDefined[component.QuantTable])
                {
                    return (0, $"a colour component uses quantisation table {component.QuantTable}, which the file does not define");
                }

                scan[i] = new ScanComponent(component, _dc[tables >> 4], _ac[tables & 0x0F]);
            }

            ReadOnlySpan<byte> spectral = header.Slice(1 + (2 * count), 3);
            int ss = spectral[0], se = spectral[1], ah = spectral[2] >> 4, al = spectral[2] & 0x0F;
            if (!_progressive)
            {
                ss = 0;
                se = 63;
                ah = 0;
                al = 0;
            }
            else if (ss > se || se > 63 || al > 13 || (ss > 0 && count != 1) || (ss == 0 && se != 0))
            {
                return (0, "a progressive scan header is malformed");
            }

            bool first = ah == 0;
            foreach (ScanComponent c in scan)
            {
                bool needsDc = ss == 0 && first;
                bool needsAc = se > 0 && (first || !_progressive);
                if ((needsDc && c.Dc is null) || (needsAc && c.Ac is null))
                {
                    return (0, "a scan uses a Huffman table the file does not define");
                }

                for (int k = ss; k <= se; k++)
                {
                    c.Component.Precision[k] = al;
                }
            }

            if (_progressive && ss > 0 && !first)
            {
                return (dataStart, null); // AC refinement: not walked (see remarks)
            }

            return WalkData(scan, dataStart, ss, se, first);
        }

        private (int Next, string? Problem) WalkData(ScanComponent[] scan, int dataStart, int ss, int se, bool first)
        {
            var bits = new BitReader(_file, dataStart);
            bool interleaved = scan.Length > 1;
            long units = interleaved
                ? (long)_mcusPerLine * _mcusPerColumn
                : (long)scan[0].Component.BlocksPerLine * scan[0].Component.BlocksPerColumn;
            int eobRun = 0;
            for (long unit = 0; unit < units; unit++)
            {
                if (_restartInterval > 0 && unit > 0 && unit % _restartInterval == 0)
                {
                    if (!bits.Restart())
                    {
                        return (0, Short(unit, units));
                    }

                    eobRun = 0;
                }

                foreach (ScanComponent c in scan)
                {
                    int blocks = interleaved ? c.Component.H * c.Component.V : 1;
                    for (int b = 0; b < blocks; b++)
                    {
                        bool ok = ss == 0
                            ? first ? SkipDc(ref bits, c.Dc!) && (se == 0 || SkipAc(ref bits, c.Ac!, 1, se)) : bits.Read(1) >= 0
                            : SkipProgressiveAc(ref bits, c.Ac!, ss, se, ref eobRun);
                        if (!ok)
                        {
                            return (0, Short(unit, units));
                        }
                    }
                }
            }

            return (bits.Position, null);
        }

        private static string Short(long unit, long units) =>
            $"a scan's data ends after {unit * 100.0 / units:0.#}% of the image (the file is truncated or cut)";

        private static bool SkipDc(ref BitReader bits, HuffmanTable dc) => dc.DecodeAndSkipValue(ref bits) >= 0;

        private static bool SkipAc(ref BitReader bits, HuffmanTable ac, int start, int end)
        {
            for (int k = start; k <= end;)
            {
                int symbol = ac.DecodeAndSkipValue(ref bits);
                if (symbol < 0)
                {
                    return false;
                }

                int run = symbol >> 4;
                if ((symbol & 0x0F) == 0)
                {
                    if (run != 15)
                    {
                        return true; // end of block
                    }

                    k += 16;
                    continue;
                }

                k += run + 1;
            }

            return true;
        }

        private static bool SkipProgressiveAc(ref BitReader bits, HuffmanTable ac, int start, int end, ref int eobRun)
        {
            if (eobRun > 0)
            {
                eobRun--;
                return true;
            }

            for (int k = start; k <= end;)
            {
                int symbol = ac.Decode(ref bits);
                if (symbol < 0)
                {
                    return false;
                }

                int run = symbol >> 4, size = symbol & 0x0F;
                if (size == 0)
                {
                    if (run != 15)
                    {
                        int extra = bits.Read(run);
                        if (extra < 0)
                        {
                            return false;
                        }

                        eobRun = (1 << run) + extra - 1;
                        return true;
                    }

                    k += 16;
                    continue;
                }

                if (bits.Read(size) < 0)
                {
                    return false;
                }

                k += run + 1;
            }

            return true;
        }

        private static int DivideUp(int value, int divisor) => (value + divisor - 1) / divisor;
    }
}
