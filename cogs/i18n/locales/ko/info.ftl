help = **말하면 그려 드려요.**
    • `/그리기 프롬프트:<텍스트>` — 또는 `음성:`(음성 메시지나 오디오 파일)을 첨부하면 어떤 언어로 말해도 그 내용을 그려요 (먼저 영어로 번역해요).
    • 음성 메시지를 우클릭 → *앱* → **음성 메시지로 그리기** 또는 **음성 메시지 받아쓰기** (언어, 받아쓰기, 영어 번역. 그다음 🎨 *이대로 그리기* 또는 먼저 ✏️ 수정).
    • `언어:`로 말하는 언어를 정할 수 있어요 (기본: 자동 감지). 음성 요청에서는 **언어가 틀렸나요?** 메뉴로 고른 언어로 다시 들어요.
    • 옵션: `시드` (같은 시드 + 같은 옵션 = 같은 그림), `가이던스` (1–20: 프롬프트를 얼마나 그대로 따를지), `단계` (많을수록 느리고 섬세), `개수` (그림 장수), `네거티브` (빼고 싶은 것), `크기` 또는 `비율` (16:9, 2:3…), `모델`, `샘플러`, `스타일` (모델이 가진 화풍), `빠르게` (몇 단계로 빠르게).
    • `이미지:`로 내 그림(PNG, JPEG, WebP)을 바탕으로 그려요. `강도` 0.05–1로 원본에서 얼마나 벗어날지 정해요.
    • 그리는 동안 메시지에서 그림이 만들어지는 모습이 보여요. 버튼, 파라미터, 리믹스 모드는 아래에 있어요.
    • 🎙️ 제 그림에 음성 메시지로 답장하면 (“이번엔 밤으로”) 리믹스해요: 같은 모델, 크기, 시드에 말한 내용이 새 프롬프트가 돼요.
    • 모든 결과에 감지한 언어, 받아쓰기, 번역, 프롬프트, 시드, 가이던스, 단계, 크기, 모델이 나와서 똑같이 다시 그릴 수 있어요.
    • `/대기열`로 내 순서를, `/상태`로 실행 환경을 볼 수 있어요.

queue-head = 대기열: 대기 { $waiting }개, { $drawing ->
    [0] 그리는 중 없음
   *[other] 그리는 중 { $drawing }개
}.
queue-drawing-now = 지금 그리는 중
queue-state = { $state ->
    [queued] 대기 중
    [listening] 듣는 중
    [waiting] 기다리는 중
   *[other] { $state }
}
queue-listening = (듣는 중…)
queue-none-yours = 대기열에 내 요청이 없어요.

status-none-loaded = 아직 불러오지 않음
status-models = Whisper: { $speech } · 이미지 모델: `{ $image }` — { $status }
status-device = 장치: { $device }
status-jobs = 완료한 요청: { $done }개, 대기: { $waiting }개
status-average-listening = 평균 듣기 시간: { NUMBER($seconds, minimumFractionDigits: 1) }초
status-average-drawing = 평균 그리기 시간: { NUMBER($seconds, minimumFractionDigits: 1) }초

settings-title = 이 서버의 설정
settings-saved = 저장했어요.
settings-not-admin = 설정을 바꾸려면 서버 관리하기 권한이 필요해요.
settings-no-content-intent = 자동 모드와 받아쓰기 채널에는 Message Content 인텐트가 필요한데, 이 봇은 요청하지 않아요. 봇 운영자가 Discord Developer Portal에서 *Message Content Intent*를 켜고 (Bot → Privileged Gateway Intents), `discord.message_content_intent = true` (또는 `S2I_DISCORD__MESSAGE_CONTENT_INTENT=true`)로 설정한 뒤 재시작해야 해요. 그때까지는 음성 메시지에서 *음성 메시지로 그리기* 메뉴를 써 주세요.
settings-whisper-model = Whisper 모델
settings-image-model = 이미지 모델
settings-voice = 음성 메시지
settings-voice-auto = 자동 ({ $where })
settings-voice-off = 꺼짐 (컨텍스트 메뉴를 써 주세요)
settings-everywhere = 모든 채널
settings-transcribed = 받아쓰기만 (그리지 않음)
settings-nowhere = 없음
settings-defaults = 기본값
settings-defaults-value = 가이던스 { $guidance }, { $steps }단계, { $count }장
settings-per-user = 1인당 요청 수
settings-buttons = 버튼
settings-buttons-requester = 요청자만
settings-anyone = 누구나
settings-nsfw = NSFW
settings-nsfw-value = NSFW 채널 밖에서 걸러진 그림은 { $action ->
    [spoiler] 스포일러로 보냄
   *[withhold] 보내지 않음
}, NSFW 채널에서는 필터 { $checker ->
    [off] 꺼짐
   *[on] 켜짐
}
settings-banned = 금지어
settings-none = 없음
settings-language = 요청 메시지의 언어
settings-text-remixes = 글 답장으로 리믹스
settings-on = 켜짐
settings-off = 꺼짐
language-auto = 자동 (감지)
help-buttons-title = 결과 버튼
help-buttons = 🎲 다시 그리기, ✏️ 프롬프트 수정, 🗑️ 삭제. 여러 장이면 **V1…**은 그 그림의 변형, **U1…**은 두 배 크기로 그려요 (같은 시드).
    한 장이면: 🪄 **변형** (약하게·강하게), ⬆️ **확대** (약하게: 같은 그림을 더 선명하게, 창의적: 새 디테일), 🔍 2배나 1.5배 축소, **직접 축소** (1~2 배율과 새 프롬프트), ↔️ **정사각형으로** (정사각형이 아닐 때), ⬅➡⬆⬇로 그 방향 확장: 원래 픽셀은 그대로예요.
help-parameters-title = 프롬프트 파라미터
help-parameters = 입력한 프롬프트 끝에 붙여요: `--ar 16:9` 비율, `--no text, people` 빼고 싶은 것, `--seed 42`, `--steps 30`, `--chaos 0-100` 여러 장의 그림이 얼마나 다른지, `--stylize 0-1000` 얼마나 자유롭게 그릴지 (100이 보통, 낮을수록 프롬프트를 더 따라요). `시드:` 같은 옵션이 우선이에요. 말로 한 내용은 파라미터로 읽지 않아요.
help-remix-title = 리믹스 모드
help-remix = `/리믹스`로 나만 켜거나 끌 수 있어요: 변형이나 🎲 다시 그리기 전에 프롬프트가 먼저 열려서 바꿀 수 있어요 (파라미터도). 서버는 `/설정`에서 기본값으로 정할 수 있어요.
remix-mode-on = 🎛️ 리믹스 모드가 **켜졌어요**: 변형이나 다시 그리기 전에 프롬프트가 먼저 열려서 바꿀 수 있어요. `/리믹스`를 다시 쓰면 꺼져요.
remix-mode-off = 리믹스 모드가 **꺼졌어요**: 변형과 다시 그리기는 바로 그려요.
settings-remix-mode = 리믹스 모드 (기본)
settings-previews = 실시간 미리보기
