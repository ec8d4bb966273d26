// dnnl_rnn: nlp-vanish's training step rebuilt on Intel oneDNN, as a peer for `make compare`.
//
// What is measured: training throughput in characters per second, on one thread. One step takes a window of
// B rows × T tokens (an alphabet of V = 96, tokens drawn at random) and
//   - gives each token to the network as a one-hot vector of V floats (so the first layer's input weights are a
//     dense V×H matrix, the work of an embedding done as a matrix product);
//   - runs L stacked recurrent layers of H units, one oneDNN primitive per layer: vanilla_rnn (tanh or relu),
//     lstm (oneDNN's gate order i, f, c̃, o; one bias per gate; the cell state is carried like the hidden state)
//     or lbr_gru (linear-before-reset GRU, PyTorch's nn.GRU: the reset gate multiplies W_hn·h + b_hn; three
//     gates of weights and four biases, the fourth b_hn);
//   - decodes every top-layer state to V logits (oneDNN's sgemm), takes their softmax (oneDNN's softmax primitive)
//     and the mean cross-entropy against the next token;
//   - back-propagates through the window with the matching backward primitives;
//   - updates every parameter with Adam (learning rate 1e-3);
//   - starts the next window from each layer's last hidden state (and LSTM cell state), through which no
//     gradient flows.
// Characters per second = B·T / seconds per step. After a first step and one window of warm-up, the program times
// --windows windows of as many steps as the warm-up fitted in --window seconds and reports their median, minimum
// and maximum.
//
// Build:  g++ -O3 -march=native -fno-math-errno -std=c++17 dnnl_rnn.cpp -o dnnl_rnn -ldnnl
//         (Debian: apt-get install libdnnl-dev, oneDNN 2.x or 3.x. Without -fno-math-errno the square roots of the
//         Adam loop stay scalar, which at small sizes costs the peer 40 % of its speed.)
// Run:    OMP_NUM_THREADS=1 ./dnnl_rnn [--nl tanh,relu,lstm,gru] [--window 1.0] [--windows 5] [H,L,B,T ...]
//         OMP_NUM_THREADS=1 ./dnnl_rnn --learn     (sanity check: the loss on a repeating sequence must fall)
//         (--nl defaults to tanh,relu.)
// Output: a line per configuration and non-linearity (or cell),
//         `<nl> H=… L=… B=… T=…: <median> chars/s (min <a> max <b>) …`,
// and last `RESULT dnnl_rnn threads=<OMP_NUM_THREADS> <nl>:<H>,<L>,<B>,<T>=<chars/s> …`.
#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

constexpr int V = 96;  // alphabet size, as nlp-vanish's profile command
constexpr auto LEFT_TO_RIGHT = rnn_direction::unidirectional_left2right;

static double seconds_now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
static float *floats(const memory &m) { return static_cast<float *>(m.get_data_handle()); }
static size_t count(const memory &m) { return m.get_desc().get_size() / sizeof(float); }

// The primitive descriptors are built differently in oneDNN 2.x (through an operation descriptor) and 3.x.
static vanilla_rnn_forward::primitive_desc rnn_forward_pd(const engine &eng, algorithm act, const memory::desc &x,
                                                          const memory::desc &h0, const memory::desc &wx,
                                                          const memory::desc &wh, const memory::desc &b,
                                                          const memory::desc &y, const memory::desc &hT) {
#if DNNL_VERSION_MAJOR >= 3
    return vanilla_rnn_forward::primitive_desc(eng, prop_kind::forward_training, act, LEFT_TO_RIGHT, x, h0, wx, wh,
                                               b, y, hT);
#else
    return vanilla_rnn_forward::primitive_desc(
        vanilla_rnn_forward::desc(prop_kind::forward_training, act, LEFT_TO_RIGHT, x, h0, wx, wh, b, y, hT), eng);
#endif
}

// The diff tensors have the shapes of their tensors; weights may take any layout (`wx`, `wh` are tag::any).
static vanilla_rnn_backward::primitive_desc rnn_backward_pd(const engine &eng, algorithm act, const memory::desc &x,
                                                            const memory::desc &h0, const memory::desc &wx,
                                                            const memory::desc &wh, const memory::desc &b,
                                                            const memory::desc &y, const memory::desc &hT,
                                                            const vanilla_rnn_forward::primitive_desc &hint) {
#if DNNL_VERSION_MAJOR >= 3
    return vanilla_rnn_backward::primitive_desc(eng, prop_kind::backward, act, LEFT_TO_RIGHT, x, h0, wx, wh, b, y,
                                                hT, x, h0, wx, wh, b, y, hT, hint);
#else
    return vanilla_rnn_backward::primitive_desc(
        vanilla_rnn_backward::desc(prop_kind::backward, act, LEFT_TO_RIGHT, x, h0, wx, wh, b, y, hT, x, h0, wx, wh, b,
                                   y, hT),
        eng, hint);
#endif
}

// LSTM: the cell states c0 and c_T have the shapes of h0 and h_T.
static lstm_forward::primitive_desc lstm_forward_pd(const engine &eng, const memory::desc &x, const memory::desc &h0,
                                                    const memory::desc &wx, const memory::desc &wh,
                                                    const memory::desc &b, const memory::desc &y,
                                                    const memory::desc &hT) {
#if DNNL_VERSION_MAJOR >= 3
    return lstm_forward::primitive_desc(eng, prop_kind::forward_training, LEFT_TO_RIGHT, x, h0, h0, wx, wh, b, y, hT,
                                        hT);
#else
    return lstm_forward::primitive_desc(
        lstm_forward::desc(prop_kind::forward_training, LEFT_TO_RIGHT, x, h0, h0, wx, wh, b, y, hT, hT), eng);
#endif
}

static lstm_backward::primitive_desc lstm_backward_pd(const engine &eng, const memory::desc &x, const memory::desc &h0,
                                                      const memory::desc &wx, const memory::desc &wh,
                                                      const memory::desc &b, const memory::desc &y,
                                                      const memory::desc &hT,
                                                      const lstm_forward::primitive_desc &hint) {
#if DNNL_VERSION_MAJOR >= 3
    return lstm_backward::primitive_desc(eng, prop_kind::backward, LEFT_TO_RIGHT, x, h0, h0, wx, wh, b, y, hT, hT, x,
                                         h0, h0, wx, wh, b, y, hT, hT, hint);
#else
    return lstm_backward::primitive_desc(
        lstm_backward::desc(prop_kind::backward, LEFT_TO_RIGHT, x, h0, h0, wx, wh, b, y, hT, hT, x, h0, h0, wx, wh, b,
                            y, hT, hT),
        eng, hint);
#endif
}

static lbr_gru_forward::primitive_desc gru_forward_pd(const engine &eng, const memory::desc &x, const memory::desc &h0,
                                                      const memory::desc &wx, const memory::desc &wh,
                                                      const memory::desc &b, const memory::desc &y,
                                                      const memory::desc &hT) {
#if DNNL_VERSION_MAJOR >= 3
    return lbr_gru_forward::primitive_desc(eng, prop_kind::forward_training, LEFT_TO_RIGHT, x, h0, wx, wh, b, y, hT);
#else
    return lbr_gru_forward::primitive_desc(
        lbr_gru_forward::desc(prop_kind::forward_training, LEFT_TO_RIGHT, x, h0, wx, wh, b, y, hT), eng);
#endif
}

static lbr_gru_backward::primitive_desc gru_backward_pd(const engine &eng, const memory::desc &x,
                                                        const memory::desc &h0, const memory::desc &wx,
                                                        const memory::desc &wh, const memory::desc &b,
                                                        const memory::desc &y, const memory::desc &hT,
                                                        const lbr_gru_forward::primitive_desc &hint) {
#if DNNL_VERSION_MAJOR >= 3
    return lbr_gru_backward::primitive_desc(eng, prop_kind::backward, LEFT_TO_RIGHT, x, h0, wx, wh, b, y, hT, x, h0,
                                            wx, wh, b, y, hT, hint);
#else
    return lbr_gru_backward::primitive_desc(
        lbr_gru_backward::desc(prop_kind::backward, LEFT_TO_RIGHT, x, h0, wx, wh, b, y, hT, x, h0, wx, wh, b, y, hT),
        eng, hint);
#endif
}

// The recurrent cells: vanilla RNN with tanh or relu, LSTM, linear-before-reset GRU.
enum class Cell { tanh, relu, lstm, gru };

// Gates of the weights (ldigo's g) and of the bias (ldgo's g: lbr_gru keeps b_hn as a fourth).
static int weight_gates(Cell c) { return c == Cell::lstm ? 4 : c == Cell::gru ? 3 : 1; }
static int bias_gates(Cell c) { return c == Cell::lstm || c == Cell::gru ? 4 : 1; }

// A layer's forward and backward primitives, and the layouts they chose for the weights and the workspace.
struct CellPrimitives {
    primitive forward, backward;
    memory::desc workspace, weights_layer, weights_iter;
    memory::desc bwd_weights_layer, bwd_weights_iter, bwd_diff_weights_layer, bwd_diff_weights_iter;
};

template <typename Forward, typename Backward>
static CellPrimitives made(const typename Forward::primitive_desc &fpd, const typename Backward::primitive_desc &bpd) {
    return {Forward(fpd),
            Backward(bpd),
            fpd.workspace_desc(),
            fpd.weights_layer_desc(),
            fpd.weights_iter_desc(),
            bpd.weights_layer_desc(),
            bpd.weights_iter_desc(),
            bpd.diff_weights_layer_desc(),
            bpd.diff_weights_iter_desc()};
}

// The diff tensors have the shapes of their tensors; weights may take any layout (`wx`, `wh` are tag::any).
static CellPrimitives cell_primitives(const engine &eng, Cell cell, const memory::desc &x, const memory::desc &h,
                                      const memory::desc &wx, const memory::desc &wh, const memory::desc &b,
                                      const memory::desc &y) {
    if (cell == Cell::lstm) {
        const auto fpd = lstm_forward_pd(eng, x, h, wx, wh, b, y, h);
        return made<lstm_forward, lstm_backward>(fpd, lstm_backward_pd(eng, x, h, wx, wh, b, y, h, fpd));
    }
    if (cell == Cell::gru) {
        const auto fpd = gru_forward_pd(eng, x, h, wx, wh, b, y, h);
        return made<lbr_gru_forward, lbr_gru_backward>(fpd, gru_backward_pd(eng, x, h, wx, wh, b, y, h, fpd));
    }
    const algorithm act = cell == Cell::tanh ? algorithm::eltwise_tanh : algorithm::eltwise_relu;
    const auto fpd = rnn_forward_pd(eng, act, x, h, wx, wh, b, y, h);
    return made<vanilla_rnn_forward, vanilla_rnn_backward>(fpd, rnn_backward_pd(eng, act, x, h, wx, wh, b, y, h, fpd));
}

static softmax_forward::primitive_desc softmax_pd(const engine &eng, const memory::desc &rows) {
#if DNNL_VERSION_MAJOR >= 3
    return softmax_forward::primitive_desc(eng, prop_kind::forward_inference, algorithm::softmax_accurate, rows, rows,
                                           1);
#else
    return softmax_forward::primitive_desc(softmax_forward::desc(prop_kind::forward_inference, rows, 1), eng);
#endif
}

// A trained tensor: its values, its gradient (same layout, same size) and Adam's two moments.
struct Parameter {
    float *value, *grad;
    size_t size;
    std::vector<float> mean, square;
};

static void adam_update(std::vector<Parameter> &params, float lr, int t) {
    const float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
    const float correction1 = 1 - std::pow(beta1, (float)t), correction2 = 1 - std::pow(beta2, (float)t);
    for (Parameter &p : params) {
        float *w = p.value, *m = p.mean.data(), *v = p.square.data();
        const float *g = p.grad;
        for (size_t i = 0; i < p.size; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            w[i] -= lr * (m[i] / correction1) / (std::sqrt(v[i] / correction2) + eps);
        }
    }
}

// A reorder between two layouts of one tensor, run every step; none when the layouts agree.
struct Copy {
    reorder op;
    memory from, to;
    void run(stream &s) { op.execute(s, from, to); }
};

// `user` itself if it already has layout `want`, else a new memory in that layout and the reorder that fills it
// (from `user` when `into_user` is false, back into `user` when true).
static memory in_layout(const engine &eng, const memory &user, const memory::desc &want, std::vector<Copy> &copies,
                        bool into_user) {
    if (want == user.get_desc()) return user;
    memory other(want, eng);
    if (into_user) copies.push_back({reorder(other, user), other, user});
    else copies.push_back({reorder(user, other), user, other});
    return other;
}

// One recurrent layer: inputs of `in` features, H units, over T steps of B rows (activations in tnc / ldnc).
struct Layer {
    bool lstm;
    primitive forward, backward;
    memory input, input_grad;           // T×B×in, from the layer below (or the one-hot window) and back to it
    memory state_in, state_in_grad;     // h0: the carried state and its (unused) gradient
    memory output, output_grad;         // T×B×H, to the layer above (or the decoder) and back from it
    memory state_out, state_out_grad;   // h_T: the state carried on, and its gradient (zero: detached)
    memory cell_in, cell_in_grad, cell_out, cell_out_grad;  // the LSTM's c0 and c_T, as h0 and h_T
    memory workspace;
    memory w_input, w_state, bias;                 // parameters, weights in the forward primitive's layout
    memory w_input_grad, w_state_grad, bias_grad;  // their gradients, in the same layouts
    memory bwd_w_input, bwd_w_state, bwd_w_input_grad, bwd_w_state_grad;  // the backward primitive's layouts
    std::vector<Copy> before_step, after_backward;

    Layer(const engine &eng, Cell cell, int in, int H, int B, int T, const memory &below, std::mt19937 &rng)
        : lstm(cell == Cell::lstm) {
        const int G = weight_gates(cell);
        const memory::desc seq_in({T, B, in}, dt::f32, tag::tnc), seq_out({T, B, H}, dt::f32, tag::tnc);
        const memory::desc state({1, 1, B, H}, dt::f32, tag::ldnc);
        const memory::desc b({1, 1, bias_gates(cell), H}, dt::f32, tag::ldgo);
        const memory::desc wx_any({1, 1, in, G, H}, dt::f32, tag::any), wh_any({1, 1, H, G, H}, dt::f32, tag::any);
        CellPrimitives p = cell_primitives(eng, cell, seq_in, state, wx_any, wh_any, b, seq_out);
        forward = p.forward;
        backward = p.backward;

        input = below;
        input_grad = memory(seq_in, eng);
        state_in = memory(state, eng), state_in_grad = memory(state, eng);
        output = memory(seq_out, eng), output_grad = memory(seq_out, eng);
        state_out = memory(state, eng), state_out_grad = memory(state, eng);
        workspace = memory(p.workspace, eng);
        std::memset(floats(state_in), 0, state.get_size());
        std::memset(floats(state_out_grad), 0, state.get_size());
        if (lstm) {
            cell_in = memory(state, eng), cell_in_grad = memory(state, eng);
            cell_out = memory(state, eng), cell_out_grad = memory(state, eng);
            std::memset(floats(cell_in), 0, state.get_size());
            std::memset(floats(cell_out_grad), 0, state.get_size());
        }

        // PyTorch's initialisation, U(-1/√H, 1/√H), written in plain ldigo and reordered into the forward
        // primitive's layout; a layout with padded rows keeps zeros (and zero gradients) in the padding.
        std::uniform_real_distribution<float> uniform(-1 / std::sqrt((float)H), 1 / std::sqrt((float)H));
        auto initialised = [&](const memory::desc &plain, const memory::desc &layout) {
            memory values(plain, eng), param(layout, eng);
            for (size_t i = 0; i < count(values); i++) floats(values)[i] = uniform(rng);
            std::memset(floats(param), 0, layout.get_size());
            stream s(eng);
            reorder(values, param).execute(s, values, param);
            s.wait();
            return param;
        };
        w_input = initialised({{1, 1, in, G, H}, dt::f32, tag::ldigo}, p.weights_layer);
        w_state = initialised({{1, 1, H, G, H}, dt::f32, tag::ldigo}, p.weights_iter);
        bias = initialised(b, b);
        w_input_grad = memory(p.weights_layer, eng), w_state_grad = memory(p.weights_iter, eng);
        bias_grad = memory(b, eng);
        std::memset(floats(w_input_grad), 0, count(w_input_grad) * sizeof(float));
        std::memset(floats(w_state_grad), 0, count(w_state_grad) * sizeof(float));

        bwd_w_input = in_layout(eng, w_input, p.bwd_weights_layer, before_step, false);
        bwd_w_state = in_layout(eng, w_state, p.bwd_weights_iter, before_step, false);
        bwd_w_input_grad = in_layout(eng, w_input_grad, p.bwd_diff_weights_layer, after_backward, true);
        bwd_w_state_grad = in_layout(eng, w_state_grad, p.bwd_diff_weights_iter, after_backward, true);
    }

    void run_forward(stream &s) {
        std::unordered_map<int, memory> args = {
            {DNNL_ARG_SRC_LAYER, input},   {DNNL_ARG_SRC_ITER, state_in}, {DNNL_ARG_WEIGHTS_LAYER, w_input},
            {DNNL_ARG_WEIGHTS_ITER, w_state}, {DNNL_ARG_BIAS, bias},        {DNNL_ARG_DST_LAYER, output},
            {DNNL_ARG_DST_ITER, state_out}, {DNNL_ARG_WORKSPACE, workspace}};
        if (lstm) args.insert({{DNNL_ARG_SRC_ITER_C, cell_in}, {DNNL_ARG_DST_ITER_C, cell_out}});
        forward.execute(s, args);
    }

    void run_backward(stream &s) {
        // The primitive adds its weight gradients to what the buffers hold.
        for (const memory *g : {&bwd_w_input_grad, &bwd_w_state_grad, &bias_grad})
            std::memset(floats(*g), 0, count(*g) * sizeof(float));
        std::unordered_map<int, memory> args = {
            {DNNL_ARG_SRC_LAYER, input}, {DNNL_ARG_SRC_ITER, state_in},
            {DNNL_ARG_WEIGHTS_LAYER, bwd_w_input}, {DNNL_ARG_WEIGHTS_ITER, bwd_w_state},
            {DNNL_ARG_BIAS, bias}, {DNNL_ARG_DST_LAYER, output}, {DNNL_ARG_DST_ITER, state_out},
            {DNNL_ARG_WORKSPACE, workspace}, {DNNL_ARG_DIFF_SRC_LAYER, input_grad},
            {DNNL_ARG_DIFF_SRC_ITER, state_in_grad}, {DNNL_ARG_DIFF_WEIGHTS_LAYER, bwd_w_input_grad},
            {DNNL_ARG_DIFF_WEIGHTS_ITER, bwd_w_state_grad}, {DNNL_ARG_DIFF_BIAS, bias_grad},
            {DNNL_ARG_DIFF_DST_LAYER, output_grad}, {DNNL_ARG_DIFF_DST_ITER, state_out_grad}};
        if (lstm)
            args.insert({{DNNL_ARG_SRC_ITER_C, cell_in}, {DNNL_ARG_DST_ITER_C, cell_out},
                         {DNNL_ARG_DIFF_SRC_ITER_C, cell_in_grad}, {DNNL_ARG_DIFF_DST_ITER_C, cell_out_grad}});
        backward.execute(s, args);
        for (Copy &c : after_backward) c.run(s);
    }

    // The last states start the next window (detached: their gradient buffers stay zero).
    void carry_state() {
        std::swap(state_in, state_out);
        if (lstm) std::swap(cell_in, cell_out);
    }
};

struct CharRNN {
    int H, L, B, T;
    float learning_rate = 1e-3f;
    int adam_steps = 0;
    engine eng{engine::kind::cpu, 0};
    stream s{eng};
    memory one_hot;  // T×B×V, the window's tokens
    std::vector<Layer> layers;
    std::vector<float> decoder, decoder_bias, decoder_grad, decoder_bias_grad;  // H×V and V
    memory logits;   // (T·B)×V: logits, then probabilities, then their gradient
    softmax_forward softmax;
    std::vector<int> targets;  // row t·B + b
    std::vector<Parameter> params;

    CharRNN(int H_, int L_, int B_, int T_, Cell cell, unsigned seed)
        : H(H_), L(L_), B(B_), T(T_), targets((size_t)T_ * B_) {
        std::mt19937 rng(seed);
        one_hot = memory({{T, B, V}, dt::f32, tag::tnc}, eng);
        layers.reserve(L);
        for (int l = 0; l < L; l++)
            layers.emplace_back(eng, cell, l == 0 ? V : H, H, B, T, l == 0 ? one_hot : layers[l - 1].output, rng);
        for (int l = 0; l + 1 < L; l++) layers[l].output_grad = layers[l + 1].input_grad;

        std::uniform_real_distribution<float> uniform(-1 / std::sqrt((float)H), 1 / std::sqrt((float)H));
        decoder.resize((size_t)H * V), decoder_bias.resize(V);
        for (float &w : decoder) w = uniform(rng);
        for (float &w : decoder_bias) w = uniform(rng);
        decoder_grad.resize(decoder.size()), decoder_bias_grad.resize(V);
        const memory::desc rows({T * B, V}, dt::f32, tag::ab);
        logits = memory(rows, eng);
        softmax = softmax_forward(softmax_pd(eng, rows));

        for (Layer &layer : layers) {
            params.push_back({floats(layer.w_input), floats(layer.w_input_grad), count(layer.w_input), {}, {}});
            params.push_back({floats(layer.w_state), floats(layer.w_state_grad), count(layer.w_state), {}, {}});
            params.push_back({floats(layer.bias), floats(layer.bias_grad), count(layer.bias), {}, {}});
        }
        params.push_back({decoder.data(), decoder_grad.data(), decoder.size(), {}, {}});
        params.push_back({decoder_bias.data(), decoder_bias_grad.data(), decoder_bias.size(), {}, {}});
        for (Parameter &p : params) p.mean.assign(p.size, 0.f), p.square.assign(p.size, 0.f);
    }

    // One training step on the window `inputs` → `next` (B rows of T tokens each, row-major); the mean loss.
    double step(const int *inputs, const int *next) {
        const int rows = T * B;
        float *x = floats(one_hot);
        std::memset(x, 0, (size_t)rows * V * sizeof(float));
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++) {
                x[((size_t)t * B + b) * V + inputs[b * T + t]] = 1;
                targets[t * B + b] = next[b * T + t];
            }

        for (Layer &layer : layers)
            for (Copy &c : layer.before_step) c.run(s);
        for (Layer &layer : layers) layer.run_forward(s);

        // logits = top · decoder + bias, then probabilities in place.
        const float *top = floats(layers.back().output);
        float *z = floats(logits);
        for (int r = 0; r < rows; r++) std::memcpy(z + (size_t)r * V, decoder_bias.data(), V * sizeof(float));
        sgemm('N', 'N', rows, V, H, 1, top, H, decoder.data(), V, 1, z, V);
        softmax.execute(s, {{DNNL_ARG_SRC, logits}, {DNNL_ARG_DST, logits}});

        // Cross-entropy, and its gradient with respect to the logits: (p − onehot(target)) / rows.
        double loss = 0;
        const float scale = 1.0f / rows;
        for (int r = 0; r < rows; r++) {
            float *p = z + (size_t)r * V;
            loss -= std::log(std::max(p[targets[r]], 1e-30f));
            p[targets[r]] -= 1;
            for (int v = 0; v < V; v++) p[v] *= scale;
        }

        // Decoder gradients, and the gradient flowing into the top layer's outputs.
        sgemm('T', 'N', H, V, rows, 1, top, H, z, V, 0, decoder_grad.data(), V);
        std::fill(decoder_bias_grad.begin(), decoder_bias_grad.end(), 0.f);
        for (int r = 0; r < rows; r++)
            for (int v = 0; v < V; v++) decoder_bias_grad[v] += z[(size_t)r * V + v];
        sgemm('N', 'T', rows, H, V, 1, z, V, decoder.data(), V, 0, floats(layers.back().output_grad), H);

        for (int l = L - 1; l >= 0; l--) layers[l].run_backward(s);
        adam_update(params, learning_rate, ++adam_steps);

        for (Layer &layer : layers) layer.carry_state();
        return loss / rows;
    }
};

// A window of B rows × T tokens, as step() takes them: inputs[b·T + t] and the token after each, next[b·T + t].
struct Window {
    std::vector<int> inputs, next;
};

// `count` consecutive windows cut from B independent streams of random tokens, so that the hidden state carried
// from one window to the next continues each row's text.
static std::vector<Window> random_windows(int B, int T, int count, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<Window> windows(count);
    for (Window &w : windows) w.inputs.resize((size_t)B * T), w.next.resize((size_t)B * T);
    std::vector<int> text((size_t)count * T + 1);
    for (int b = 0; b < B; b++) {
        for (int &c : text) c = (int)(rng() % V);
        for (int k = 0; k < count; k++)
            for (int t = 0; t < T; t++) {
                windows[k].inputs[(size_t)b * T + t] = text[(size_t)k * T + t];
                windows[k].next[(size_t)b * T + t] = text[(size_t)k * T + t + 1];
            }
    }
    return windows;
}

static Cell cell_named(const std::string &nl) {
    if (nl == "tanh") return Cell::tanh;
    if (nl == "relu") return Cell::relu;
    if (nl == "lstm") return Cell::lstm;
    if (nl == "gru") return Cell::gru;
    std::fprintf(stderr, "dnnl_rnn: unknown non-linearity or cell %s (tanh, relu, lstm or gru)\n", nl.c_str());
    std::exit(2);
}

// Trains a small network on a repeating sequence of 23 tokens drawn from only 4 symbols, so that the next token
// depends on several before it: only a working backward pass through time drives the loss from ln 96 ≈ 4.56 to
// near zero. The LSTM and GRU rest longer near ln 4 ≈ 1.39 first (about 400 steps), hence 800 steps for all cells.
// Returns the process status.
static int learn() {
    const int H = 64, L = 2, B = 8, T = 32, period = 23;
    std::mt19937 rng(3);
    std::vector<int> sequence(period);
    for (int &c : sequence) c = 40 + (int)(rng() % 4);
    int failures = 0;
    for (const char *nl : {"tanh", "relu", "lstm", "gru"}) {
        CharRNN model(H, L, B, T, cell_named(nl), 1);
        model.learning_rate = 3e-3f;
        std::vector<int> inputs(B * T), next(B * T);
        double first = 0, last = 0;
        for (int i = 0; i < 800; i++) {
            for (int b = 0; b < B; b++)
                for (int t = 0; t < T; t++) {
                    const long position = 5L * b + (long)i * T + t;  // the rows read the sequence at different phases
                    inputs[b * T + t] = sequence[position % period];
                    next[b * T + t] = sequence[(position + 1) % period];
                }
            last = model.step(inputs.data(), next.data());
            if (i == 0) first = last;
        }
        const bool ok = first > 4 && last < 0.1;
        std::printf("learn %s: loss %.3f -> %.4f %s\n", nl, first, last, ok ? "ok" : "FAILED");
        failures += !ok;
    }
    return failures ? 1 : 0;
}

int main(int argc, char **argv) {
    std::vector<std::string> configs, nls;
    double window_seconds = 1.0;
    int windows = 5;
    for (int i = 1; i < argc; i++) {
        const std::string arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--learn") return learn();
        if (arg == "--nl" && has_value) {
            std::string list = argv[++i];
            for (size_t start = 0, comma; start <= list.size(); start = comma + 1) {
                comma = list.find(',', start);
                if (comma == std::string::npos) comma = list.size();
                nls.push_back(list.substr(start, comma - start));
            }
        } else if (arg == "--window" && has_value) window_seconds = std::atof(argv[++i]);
        else if (arg == "--windows" && has_value) windows = std::max(1, std::atoi(argv[++i]));
        else if (!arg.empty() && arg[0] != '-') configs.push_back(arg);
        else {
            std::fprintf(stderr, "usage: dnnl_rnn [--learn] [--nl tanh,relu,lstm,gru] [--window s] [--windows n] "
                                 "[H,L,B,T ...]\n");
            return 2;
        }
    }
    if (configs.empty()) configs = {"128,1,32,64", "256,1,32,64", "512,1,32,64", "256,3,32,64", "100,1,1,25"};
    if (nls.empty()) nls = {"tanh", "relu"};

    const char *threads = std::getenv("OMP_NUM_THREADS");
    const dnnl_version_t *version = dnnl_version();
    std::printf("# oneDNN %d.%d.%d, OMP_NUM_THREADS=%s\n", version->major, version->minor, version->patch,
                threads ? threads : "unset");
    std::string results;
    for (const std::string &config : configs) {
        int H, L, B, T;
        if (std::sscanf(config.c_str(), "%d,%d,%d,%d", &H, &L, &B, &T) != 4 || H < 1 || L < 1 || B < 1 || T < 1) {
            std::fprintf(stderr, "dnnl_rnn: a configuration is H,L,B,T, not %s\n", config.c_str());
            return 2;
        }
        const std::vector<Window> data = random_windows(B, T, 16, 7);
        for (const std::string &nl : nls) {
            CharRNN model(H, L, B, T, cell_named(nl), 0);
            size_t next_window = 0;
            double loss = 0;
            auto train = [&] {
                const Window &w = data[next_window++ % data.size()];
                loss = model.step(w.inputs.data(), w.next.data());
            };

            train();         // the first step pays oneDNN's one-time set-up
            long steps = 0;  // warm-up: one window of wall time, which also sizes the timed windows
            for (const double start = seconds_now(); seconds_now() - start < window_seconds; steps++) train();
            std::vector<double> rates;
            for (int k = 0; k < windows; k++) {
                const double start = seconds_now();
                for (long i = 0; i < steps; i++) train();
                rates.push_back((double)steps * B * T / (seconds_now() - start));
            }
            std::sort(rates.begin(), rates.end());
            const double median = rates[rates.size() / 2];
            std::printf("%s H=%d L=%d B=%d T=%d: %.0f chars/s (min %.0f max %.0f), %ld steps per window, loss %.3f\n",
                        nl.c_str(), H, L, B, T, median, rates.front(), rates.back(), steps, loss);
            std::fflush(stdout);
            results += " " + nl + ":" + config + "=" + std::to_string((long long)std::llround(median));
        }
    }
    std::printf("RESULT dnnl_rnn threads=%s%s\n", threads ? threads : "unset", results.c_str());
    return 0;
}
